"""Product listings on the database (the search backends arrive with the search issue)."""

from django.db.models import Case, F, Min, Q, QuerySet, Value, When
from oscar.core.loading import get_model

from search.forms import SearchForm

Product = get_model("catalogue", "Product")


def products_for_listing() -> QuerySet:
    """Browsable products with everything a product card renders, in a fixed
    number of queries whatever the page size."""
    return (
        Product.objects.browsable()
        .base_queryset()
        .select_related("producer__partner", "origin_county__parent__parent")
    )


def products_search(
    *, query: str = "", categories=None, sort: str = SearchForm.RELEVANCY
) -> QuerySet:
    qs = products_for_listing()
    if categories is not None:
        qs = qs.filter(pk__in=Product.objects.filter(categories__in=categories).values("pk"))
    if query:
        qs = qs.filter(
            Q(title__icontains=query)
            | Q(description__icontains=query)
            | Q(producer__partner__name__icontains=query)
            | Q(origin_county__name__icontains=query)
            | Q(origin_county__parent__name__icontains=query)
            | Q(origin_county__parent__parent__name__icontains=query)
        )
    if sort == SearchForm.NEWEST:
        return qs.order_by("-date_created", "-pk")
    if sort in (SearchForm.PRICE_LOW_TO_HIGH, SearchForm.PRICE_HIGH_TO_LOW):
        qs = qs.annotate(min_price=Min("stockrecords__price"))
        if sort == SearchForm.PRICE_LOW_TO_HIGH:
            return qs.order_by(F("min_price").asc(nulls_last=True), "pk")
        return qs.order_by(F("min_price").desc(nulls_last=True), "pk")
    if query:
        # Relevance on the database: title matches before other matches.
        qs = qs.annotate(
            title_hit=Case(When(title__icontains=query, then=Value(1)), default=Value(0))
        )
        return qs.order_by("-title_hit", "-priority", "-date_created", "-pk")
    return qs.order_by("-priority", "-date_created", "-pk")
