"""The 国家乡村振兴重点帮扶县 flag, kept by platform staff on a dashboard page
(not the Django admin): filtered and paginated, every change logged, the
storefront badge and the search documents following."""

import pytest
from django.urls import reverse

from regions import services
from regions.exceptions import KeyAssistanceStaffOnly, RegionNotCounty
from regions.models import KeyCountyChange, Region
from tests.factories import CountyReviewerFactory, StaffUserFactory, UserFactory, county
from tests.factories.catalogue import product_with_stock

pytestmark = pytest.mark.django_db

LIST = reverse("region-key-counties")
TOGGLE = reverse("region-key-county-toggle")
ZHASHUI, ZIYANG, HAIDIAN = "611026", "610924", "110108"


def staff_member():
    return StaffUserFactory(is_superuser=False)


def flags():
    return dict(Region.objects.counties().values_list("code", "is_key_assistance_county"))


# --- Service ----------------------------------------------------------------


def test_a_change_is_logged_with_who_and_when_and_a_repeat_changes_nothing():
    zhashui, staff = county(ZHASHUI), staff_member()
    services.region_set_key_assistance(region=zhashui, flag=True, actor=staff)
    services.region_set_key_assistance(region=zhashui, flag=True, actor=staff)
    zhashui.refresh_from_db()
    assert zhashui.is_key_assistance_county
    change = KeyCountyChange.objects.get()
    assert (change.region, change.is_key_assistance_county, change.actor) == (zhashui, True, staff)
    assert change.created_at
    services.region_set_key_assistance(region=zhashui, flag=False, actor=staff)
    assert list(KeyCountyChange.objects.values_list("is_key_assistance_county", flat=True)) == [
        False,
        True,
    ]


def test_only_staff_and_only_counties():
    zhashui = county(ZHASHUI)
    for outsider in (UserFactory(), CountyReviewerFactory(county=zhashui).user):
        with pytest.raises(KeyAssistanceStaffOnly) as excinfo:
            services.region_set_key_assistance(region=zhashui, flag=True, actor=outsider)
        assert excinfo.value.code == "key_county_staff_only"
    with pytest.raises(RegionNotCounty) as excinfo:
        services.region_set_key_assistance(region=zhashui.parent, flag=True, actor=staff_member())
    assert excinfo.value.code == "region_not_county"
    assert not KeyCountyChange.objects.exists()
    assert not Region.objects.filter(is_key_assistance_county=True).exists()


def test_a_change_reindexes_the_countys_products(monkeypatch):
    product = product_with_stock()
    other = product_with_stock(origin_county=county(ZIYANG))
    scheduled = []
    monkeypatch.setattr(
        "search.receivers.products_schedule_reindex",
        lambda *, product_ids, deleted=False: scheduled.extend(product_ids),
    )
    services.region_set_key_assistance(
        region=product.origin_county, flag=True, actor=staff_member()
    )
    assert product.pk in scheduled and other.pk not in scheduled


# --- Staff page ---------------------------------------------------------------


def test_a_staff_member_who_is_not_a_superuser_flags_a_county_and_the_shop_shows_it(client):
    product = product_with_stock()
    zhashui = product.origin_county
    client.force_login(staff_member())
    page = client.get(LIST, {"search": "柞水"})
    assert [c.pk for c in page.context["page"]] == [zhashui.pk]
    response = client.post(TOGGLE, {"county": zhashui.pk, "flag": "1", "back": "search=柞水"})
    assert response.status_code == 302
    assert response.url == f"{LIST}?search=%E6%9F%9E%E6%B0%B4"
    zhashui.refresh_from_db()
    assert zhashui.is_key_assistance_county
    assert KeyCountyChange.objects.get().actor.is_superuser is False
    listed = client.get(LIST, {"search": "柞水"}).content.decode()
    assert "取消标记" in listed
    shop = client.get(product.get_absolute_url()).content.decode()
    assert "重点帮扶县" in shop


def test_the_list_filters_by_province_city_name_and_flag_and_pages(client, monkeypatch):
    zhashui, ziyang, haidian = county(ZHASHUI), county(ZIYANG), county(HAIDIAN)
    services.region_set_key_assistance(region=ziyang, flag=True, actor=staff_member())
    client.force_login(staff_member())

    def shown(**params):
        return [c.code for c in client.get(LIST, params).context["page"]]

    assert shown() == [HAIDIAN, ZIYANG, ZHASHUI]
    shaanxi = zhashui.province
    assert shown(province=shaanxi.pk) == [ZIYANG, ZHASHUI]
    assert shown(province=shaanxi.pk, city=zhashui.parent.pk) == [ZHASHUI]
    # Beijing's districts hang directly under the municipality.
    assert shown(province=haidian.parent.pk) == [HAIDIAN]
    assert shown(search="紫阳") == [ZIYANG]
    assert shown(search="6110") == [ZHASHUI]
    assert shown(flagged="yes") == [ZIYANG]
    assert shown(flagged="no") == [HAIDIAN, ZHASHUI]
    # A city of another province, or junk, is ignored rather than an error.
    assert shown(province=haidian.parent.pk, city=zhashui.parent.pk) == [HAIDIAN]
    assert shown(province="x", city="<b>", flagged="maybe") == [HAIDIAN, ZIYANG, ZHASHUI]
    monkeypatch.setattr("regions.views.KEY_COUNTY_PAGE_SIZE", 2)
    assert shown(page=2) == [ZHASHUI]
    assert shown(page="999") == [ZHASHUI]
    assert "page=2" in client.get(LIST).content.decode()


def test_the_list_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for code in (ZHASHUI, ZIYANG, HAIDIAN, "610925", "610926"):
        services.region_set_key_assistance(region=county(code), flag=True, actor=staff_member())
    client.force_login(staff_member())
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200


def test_bad_posts_say_why_in_chinese_and_change_nothing(client):
    zhashui = county(ZHASHUI)
    client.force_login(staff_member())
    before = flags()
    response = client.post(TOGGLE, {"county": zhashui.pk, "flag": "yes"}, follow=True)
    assert "请选择标记或取消标记" in response.content.decode()
    response = client.post(TOGGLE, {"county": zhashui.parent.pk, "flag": "1"}, follow=True)
    assert "只有县级行政区划可以标记为国家乡村振兴重点帮扶县" in response.content.decode()
    assert client.post(TOGGLE, {"county": "abc", "flag": "1"}).status_code == 404
    assert client.post(TOGGLE, {"county": "999999", "flag": "1"}).status_code == 404
    # The way back is the list's own query string, never another site.
    response = client.post(TOGGLE, {"county": zhashui.pk, "flag": "x", "back": "//evil.example"})
    assert response.url.startswith(LIST)
    assert client.get(TOGGLE).status_code == 405
    assert flags() == before and not KeyCountyChange.objects.exists()


def test_non_staff_are_refused(client):
    zhashui = county(ZHASHUI)
    for outsider in (UserFactory(), CountyReviewerFactory(county=zhashui).user):
        client.force_login(outsider)
        assert client.get(LIST).status_code == 403
        assert client.post(TOGGLE, {"county": zhashui.pk, "flag": "1"}).status_code == 403
    zhashui.refresh_from_db()
    assert not zhashui.is_key_assistance_county


def test_the_django_admin_no_longer_edits_the_flag_behind_the_log(client):
    zhashui = county(ZHASHUI)
    client.force_login(StaffUserFactory(is_superuser=True))
    page = client.get(reverse("admin:regions_region_change", args=[zhashui.pk]))
    assert 'name="is_key_assistance_county"' not in page.content.decode()
