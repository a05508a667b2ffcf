import pytest

from regions.exceptions import RegionNotCounty
from regions.models import Region
from regions.services import region_set_key_assistance, regions_load_from_dataset

pytestmark = pytest.mark.django_db


def test_region_tree_is_loaded_from_the_dataset_with_six_digit_codes():
    result = regions_load_from_dataset()
    assert result["created"] > 3000

    zhashui = Region.objects.with_ancestors().get(code="611026")
    assert zhashui.name == "柞水县"
    assert zhashui.level == Region.Level.COUNTY
    assert [r.code for r in zhashui.ancestors_and_self()] == ["610000", "611000", "611026"]
    assert zhashui.full_name == "陕西省 商洛市 柞水县"
    assert Region.objects.get(code="610924").name == "紫阳县"


def test_municipality_districts_hang_directly_under_the_province():
    regions_load_from_dataset()
    haidian = Region.objects.get(code="110108")
    assert haidian.level == Region.Level.COUNTY
    assert haidian.parent.code == "110000"


def test_loading_twice_changes_nothing_and_keeps_staff_flags():
    regions_load_from_dataset()
    county = Region.objects.get(code="522633")
    region_set_key_assistance(region=county, flag=True)

    again = regions_load_from_dataset()

    assert again["created"] == 0
    assert again["updated"] == 0
    county.refresh_from_db()
    assert county.is_key_assistance_county is True


def test_only_counties_can_be_flagged_as_key_assistance():
    regions_load_from_dataset()
    with pytest.raises(RegionNotCounty):
        region_set_key_assistance(region=Region.objects.get(code="610000"), flag=True)
