"""The oversight pages: who may open what (the region access matrix), bad input,
office management, and query counts that stay put as the data grows."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from oversight.models import ProgrammeOffice
from procurement import services
from procurement.models import OffPlatformPurchase
from tests.factories import (
    BenefitLinkageFactory,
    ProducerFactory,
    StaffUserFactory,
    UserFactory,
    county,
)
from tests.factories.oversight import ProgrammeOfficeFactory
from tests.factories.procurement import AnnualPlanFactory, Team, evidence_file

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def places():
    return {"zhashui": county("611026"), "ziyang": county("610924"), "chaoyang": county("110105")}


def _urls(places):
    overview = reverse("oversight:overview")
    zhashui, ziyang = places["zhashui"], places["ziyang"]
    return {
        "overview": overview,
        "overview_zhashui": f"{overview}?region={zhashui.pk}",
        "overview_ziyang": f"{overview}?region={ziyang.pk}",
        "overview_shaanxi": f"{overview}?region={zhashui.province.pk}",
        "producers_zhashui": reverse("oversight:county-producers", args=[zhashui.pk]),
        "producers_ziyang": reverse("oversight:county-producers", args=[ziyang.pk]),
        "offices": reverse("oversight:offices"),
    }


def test_region_access_matrix(client, places):
    urls = _urls(places)
    unit_user = Team(region=places["zhashui"]).admin
    ziyang_office = ProgrammeOfficeFactory(region=places["ziyang"]).user
    shaanxi_office = ProgrammeOfficeFactory(region=places["zhashui"].province).user
    beijing_office = ProgrammeOfficeFactory(region=places["chaoyang"].province).user
    national_office = ProgrammeOfficeFactory(region=None).user
    everyone_403 = dict.fromkeys(urls, 403)
    expected = {
        "consumer": (UserFactory(), everyone_403),
        "unit user": (unit_user, everyone_403),
        "other county's office": (
            ziyang_office,
            {
                "overview": 200,
                "overview_zhashui": 404,
                "overview_ziyang": 200,
                "overview_shaanxi": 404,
                "producers_zhashui": 404,
                "producers_ziyang": 200,
                "offices": 403,
            },
        ),
        "province office": (
            shaanxi_office,
            {**dict.fromkeys(urls, 200), "offices": 403},
        ),
        "other province's office": (
            beijing_office,
            {
                **dict.fromkeys(urls, 404),
                "overview": 200,
                "offices": 403,
            },
        ),
        "national office": (national_office, {**dict.fromkeys(urls, 200), "offices": 403}),
        "platform staff": (StaffUserFactory(), dict.fromkeys(urls, 200)),
    }
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], name
    for who, (user, statuses) in expected.items():
        client.force_login(user)
        seen = {name: client.get(url).status_code for name, url in urls.items()}
        assert seen == statuses, who


def test_an_office_sees_only_its_units_and_the_menu_offers_the_overview(client, places):
    mine = Team(region=places["ziyang"], name="紫阳县中学").organisation
    Team(region=places["zhashui"], name="柞水县农业农村局")
    office = ProgrammeOfficeFactory(region=places["ziyang"]).user
    client.force_login(office)
    response = client.get(reverse("oversight:overview"))
    body = response.content.decode()
    assert mine.name in body and "柞水县农业农村局" not in body
    assert reverse("oversight:overview") in body
    assert reverse("oversight:offices") not in body


@pytest.mark.parametrize("period", ["2026-13", "十月", "2026-W99", "1999"])
def test_a_bad_period_is_answered_in_chinese_and_shows_this_month(client, period):
    client.force_login(StaffUserFactory())
    response = client.get(reverse("oversight:overview"), {"period": period})
    assert response.status_code == 200
    (message,) = [str(m) for m in response.context["messages"]]
    assert message.startswith(("无法识别统计期间", "统计期间应在"))
    assert message in response.content.decode()
    assert response.context["period"].slug == timezone.localdate().strftime("%Y-%m")


@pytest.mark.parametrize("region", ["abc", "999999999", "-1", "１"])
def test_a_region_that_does_not_exist_is_a_404(client, region):
    client.force_login(StaffUserFactory())
    assert client.get(reverse("oversight:overview"), {"region": region}).status_code == 404


def test_staff_appoint_and_remove_office_members(client, places):
    client.force_login(StaffUserFactory())
    url = reverse("oversight:offices")
    response = client.post(url, {"email": "office@example.com", "region_code": "611026"})
    assert response.status_code == 302
    office = ProgrammeOffice.objects.get()
    assert (office.user.email, office.region) == ("office@example.com", places["zhashui"])

    again = client.post(url, {"email": "office@example.com", "region_code": "611026"})
    assert "该用户已是这个地区的工作专班成员。" in again.content.decode()
    unknown = client.post(url, {"email": "other@example.com", "region_code": "999999"})
    assert "没有代码为 999999 的行政区划。" in unknown.content.decode()
    staff = StaffUserFactory()
    refused = client.post(url, {"email": staff.email, "region_code": ""})
    assert "平台运营人员已可查看全部地区" in refused.content.decode()
    assert ProgrammeOffice.objects.count() == 1

    client.post(url, {"remove": office.pk})
    assert not ProgrammeOffice.objects.exists()


def _grow(places, count):
    for index in range(count):
        team = Team(region=places["zhashui" if index % 2 else "ziyang"])
        AnnualPlanFactory(organisation=team.organisation, year=THIS_YEAR)
        record = services.off_platform_purchase_record(
            organisation=team.organisation,
            actor=team.purchaser,
            channel=OffPlatformPurchase.Channel.DIRECT,
            supplier_name="合作社",
            origin_county=places["ziyang" if index % 2 else "zhashui"],
            amount=Decimal("100"),
            purchased_on=timezone.localdate(),
            category="茶叶",
            evidence=evidence_file(),
        )
        services.off_platform_purchase_verify(record=record, actor=StaffUserFactory(), approve=True)
        BenefitLinkageFactory(
            producer=ProducerFactory(county=places["zhashui"]), year=THIS_YEAR, verified=True
        )


def test_the_overview_costs_the_same_queries_as_the_data_grows(
    client, places, django_assert_max_num_queries
):
    client.force_login(StaffUserFactory())
    shaanxi = {"region": places["zhashui"].province.pk}
    _grow(places, 2)
    client.get(reverse("oversight:overview"), shaanxi)
    with django_assert_max_num_queries(60) as small:
        client.get(reverse("oversight:overview"), shaanxi)
    _grow(places, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("oversight:overview"), shaanxi)
    assert len(response.context["buyers"].units) == 14
    print("overview queries:", len(small.captured_queries))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("oversight:county-producers", args=[places["zhashui"].pk]))
