from django.db.models import Prefetch
from django.utils import timezone
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.core.loading import get_model

from producers.models import Certificate
from producers.selectors import producer_is_managed_by
from search.views.catalogue import CatalogueView, ProductCategoryView

__all__ = ["CatalogueView", "ProductCategoryView", "ProductDetailView"]

Product = get_model("catalogue", "Product")


class ProductDetailView(OscarProductDetailView):
    def get_queryset(self):
        # Everything the page shows, fetched up front: the query count does not
        # grow with the size of the catalogue.
        return (
            Product.objects.base_queryset()
            .select_related(
                "parent",
                "producer__partner",
                "producer__county__parent__parent",
                "origin_county__parent__parent",
            )
            .prefetch_related(
                "categories",
                "attribute_values__attribute",
                Prefetch(
                    "certificates",
                    queryset=Certificate.objects.order_by("kind", "valid_until"),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["today"] = timezone.localdate()
        return ctx

    def is_viewable(self, product, request):
        """Live listings for everyone; a listing still in review only for staff
        and for the producer's own users, who preview it before it goes live."""
        if product.is_approved and super().is_viewable(product, request):
            return True
        if request.user.is_staff:
            return True
        producer = product.get_producer()
        return (
            request.user.is_authenticated
            and producer is not None
            and producer_is_managed_by(producer=producer, user=request.user)
        )
