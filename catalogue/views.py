from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.core.loading import get_model

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
            .prefetch_related("categories", "attribute_values__attribute")
        )
