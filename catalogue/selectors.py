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
