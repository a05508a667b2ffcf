"""Reads of the listing lifecycle."""

from django.db.models import QuerySet
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")


def products_awaiting_review() -> QuerySet:
    return (
        Product.objects.awaiting_review()
        .select_related("producer__partner", "producer__county", "origin_county")
        .order_by("date_updated", "pk")
    )


def products_for_listing():
    """Browsable products with everything a product card renders, in a fixed
    number of queries whatever the page size."""
    return (
        Product.objects.browsable()
        .base_queryset()
        .select_related("producer__partner", "origin_county__parent__parent")
    )
