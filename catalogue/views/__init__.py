"""Oscar loads ``catalogue.views.ProductDetailView`` by name (``get_class``)."""

from catalogue.views.storefront import ProductDetailView

__all__ = ["ProductDetailView"]
