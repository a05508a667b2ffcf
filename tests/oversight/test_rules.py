import pytest
from django.contrib.auth.models import AnonymousUser

from oversight.rules import may_use_oversight, region_is_visible, regions_visible_to
from procurement.models import BuyerOrganisation
from tests.factories import StaffUserFactory, UserFactory, county
from tests.factories.oversight import ProgrammeOfficeFactory
from tests.factories.procurement import BuyerOrganisationFactory

pytestmark = pytest.mark.django_db

ZHASHUI, ZIYANG, BEIJING_DISTRICT = "611026", "610924", "110105"


def test_a_county_office_sees_its_county_only():
    zhashui, ziyang = county(ZHASHUI), county(ZIYANG)
    office = ProgrammeOfficeFactory(region=zhashui)
    assert region_is_visible(office.user, zhashui)
    assert not region_is_visible(office.user, ziyang)
    assert not region_is_visible(office.user, zhashui.parent)  # its city
    assert not region_is_visible(office.user, None)  # the country


def test_a_province_office_sees_its_cities_and_counties_and_nothing_else():
    zhashui, ziyang, chaoyang = county(ZHASHUI), county(ZIYANG), county(BEIJING_DISTRICT)
    office = ProgrammeOfficeFactory(region=zhashui.province)
    for region in (zhashui, ziyang, zhashui.parent, zhashui.province):
        assert region_is_visible(office.user, region)
    assert not region_is_visible(office.user, chaoyang)


def test_the_scope_filters_rows_by_their_region_at_any_depth():
    zhashui, ziyang, chaoyang = county(ZHASHUI), county(ZIYANG), county(BEIJING_DISTRICT)
    units = {
        "zhashui": BuyerOrganisationFactory(region=zhashui),
        "city": BuyerOrganisationFactory(region=zhashui.parent),
        "ziyang": BuyerOrganisationFactory(region=ziyang),
        "beijing": BuyerOrganisationFactory(region=chaoyang),
    }
    city_office = ProgrammeOfficeFactory(region=zhashui.parent)
    seen = set(
        BuyerOrganisation.objects.filter(
            regions_visible_to(city_office.user).q("region")
        ).values_list("pk", flat=True)
    )
    assert seen == {units["zhashui"].pk, units["city"].pk}
    municipality_office = ProgrammeOfficeFactory(region=chaoyang.province)
    seen = set(
        BuyerOrganisation.objects.filter(
            regions_visible_to(municipality_office.user).q("region")
        ).values_list("pk", flat=True)
    )
    assert seen == {units["beijing"].pk}


def test_staff_and_national_offices_see_everything_others_nothing():
    zhashui = county(ZHASHUI)
    national = ProgrammeOfficeFactory(region=None).user
    for user in (StaffUserFactory(), national):
        assert regions_visible_to(user).national
        assert region_is_visible(user, zhashui) and region_is_visible(user, None)
        assert may_use_oversight(user)
    for user in (UserFactory(), AnonymousUser()):
        assert regions_visible_to(user).is_empty
        assert not region_is_visible(user, zhashui)
        assert not may_use_oversight(user)
        assert not BuyerOrganisation.objects.filter(regions_visible_to(user).q("region")).exists()


def test_several_offices_add_up():
    zhashui, ziyang = county(ZHASHUI), county(ZIYANG)
    user = UserFactory()
    ProgrammeOfficeFactory(user=user, region=zhashui)
    ProgrammeOfficeFactory(user=user, region=ziyang)
    assert region_is_visible(user, zhashui) and region_is_visible(user, ziyang)
    assert not region_is_visible(user, zhashui.province)
