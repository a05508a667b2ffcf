from django.db.models import Prefetch, Q, QuerySet
from oscar.core.loading import get_model

from regions.models import KeyCountyChange, Region

Country = get_model("address", "Country")

SHIPPING_COUNTRY_CODE = "CN"


def region_shipping_country():
    """The only shipping country: mainland China (created by a data migration)."""
    return Country.objects.get(iso_3166_1_a2=SHIPPING_COUNTRY_CODE)


def region_children(*, parent_id: int) -> list[dict]:
    """Children of a division for the chained address selects."""
    return list(
        Region.objects.filter(parent_id=parent_id)
        .order_by("code")
        .values("id", "code", "name", "level")
    )


def counties_for_key_assistance(
    *,
    province_id: int | None = None,
    city_id: int | None = None,
    query: str = "",
    flagged: bool | None = None,
) -> QuerySet[Region]:
    """Counties for the staff key-county page, in code order, each with its
    last flag change (``last_changes``, at most one row)."""
    counties = Region.objects.counties()
    if city_id is not None:
        counties = counties.filter(parent_id=city_id)
    elif province_id is not None:
        # A municipality's districts hang directly under the province.
        counties = counties.filter(Q(parent_id=province_id) | Q(parent__parent_id=province_id))
    query = query.strip()
    if query:
        counties = counties.filter(Q(name__contains=query) | Q(code__startswith=query))
    if flagged is not None:
        counties = counties.filter(is_key_assistance_county=flagged)
    return (
        counties.select_related("parent__parent")
        .prefetch_related(
            Prefetch(
                "key_county_changes",
                # Sliced prefetches run as one windowed query (Django 4.2+).
                queryset=KeyCountyChange.objects.select_related("actor").order_by(
                    "-created_at", "-pk"
                )[:1],
                to_attr="last_changes",
            )
        )
        .order_by("code")
    )


def cities_of(*, province_id: int) -> QuerySet[Region]:
    return Region.objects.filter(parent_id=province_id, level=Region.Level.CITY).order_by("code")
