from oscar.core.loading import get_model

from regions.models import Region

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
