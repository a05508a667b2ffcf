from django.shortcuts import get_object_or_404
from oscar.apps.customer.alerts import views
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")


class ProductAlertCreateView(views.ProductAlertCreateView):
    """Stock alerts only for listings visible to the public. Oscar's view
    answers a GET with a redirect to the product's URL, whose slug is the
    title: for any other listing, that redirect would tell its title."""

    def dispatch(self, request, *args, **kwargs):
        get_object_or_404(Product.objects.visible_to_public(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)
