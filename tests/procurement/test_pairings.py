"""The pairings registry (结对帮扶关系): its constraints and rules, the staff
pages, and the report of each pairing's purchases from its helped counties."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from procurement import services
from procurement.exceptions import (
    PairingAlreadyEnded,
    PairingCountyNotCounty,
    PairingDatesReversed,
    PairingHelperNotOne,
    PairingHelperUnitNotFound,
    PairingNoCounties,
    PairingRegionNotFound,
    ProcurementStaffOnly,
)
from procurement.models import ContractStatus, OffPlatformPurchase, Pairing, PairingKind
from procurement.pairings import pairing_purchases, pairing_purchases_breakdown
from procurement.rules import pairing_check, pairing_county_codes
from regions.models import Region
from tests.factories import StaffUserFactory, UserFactory, county, product_with_stock
from tests.factories.procurement import (
    BuyerOrganisationFactory,
    PairingFactory,
    Team,
    contract_in_state,
    evidence_file,
    producer_user,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def check(**overrides):
    values = {
        "kind": PairingKind.DESIGNATED,
        "name": "某部定点帮扶柞水县",
        "helper_unit_uscc": "",
        "helper_region_code": "",
        "county_codes": ["611026"],
        "starts_on": datetime.date(2026, 1, 1),
        "ends_on": None,
    }
    values.update(overrides)
    return pairing_check(**values)


# --- constraints and rules -----------------------------------------------------


def test_a_pairing_has_exactly_one_helper_side_in_the_database():
    unit = BuyerOrganisationFactory()
    pairing = PairingFactory(helper_unit=unit)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Pairing.objects.filter(pk=pairing.pk).update(helper_region=county("611026"))
    with transaction.atomic(), pytest.raises(IntegrityError):
        Pairing.objects.filter(pk=pairing.pk).update(helper_unit=None)


def test_a_pairing_never_ends_before_it_starts_in_the_database():
    pairing = PairingFactory(starts_on=datetime.date(2026, 3, 1))
    with transaction.atomic(), pytest.raises(IntegrityError):
        Pairing.objects.filter(pk=pairing.pk).update(ends_on=datetime.date(2026, 2, 28))


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({}, PairingHelperNotOne),
        ({"helper_unit_uscc": "X", "helper_region_code": "320000"}, PairingHelperNotOne),
        ({"helper_unit_uscc": "91320000MA1XXXXXXX"}, PairingHelperUnitNotFound),
        ({"helper_region_code": "999999"}, PairingRegionNotFound),
        ({"helper_region_code": "320000", "county_codes": []}, PairingNoCounties),
        ({"helper_region_code": "320000", "county_codes": ["610000"]}, PairingCountyNotCounty),
        ({"helper_region_code": "320000", "county_codes": ["611000"]}, PairingCountyNotCounty),
        ({"helper_region_code": "320000", "county_codes": ["611099"]}, PairingRegionNotFound),
        (
            {"helper_region_code": "320000", "ends_on": datetime.date(2025, 12, 31)},
            PairingDatesReversed,
        ),
    ],
)
def test_pairing_rules_refuse_with_their_code(overrides, error):
    county("611026")
    county("320106")
    with pytest.raises(error) as refused:
        check(**overrides)
    assert refused.value.code == error.code


def test_a_region_helper_and_typed_county_codes_are_resolved():
    county("610924")
    county("611026")
    county("320106")
    data = check(
        helper_region_code="320000", county_codes=pairing_county_codes("611026，610924 、611026")
    )
    assert data.helper_region.name == "江苏省" and data.helper_unit is None
    assert [c.code for c in data.counties] == ["611026", "610924"]


def test_staff_save_and_end_a_pairing_and_nobody_else_may():
    unit = BuyerOrganisationFactory()
    data = check(helper_unit_uscc=unit.uscc)
    with pytest.raises(ProcurementStaffOnly):
        services.pairing_save(actor=UserFactory(), data=data)
    staff = StaffUserFactory()
    pairing = services.pairing_save(actor=staff, data=data)
    assert pairing.helper_unit == unit
    assert list(pairing.helped_counties.values_list("code", flat=True)) == ["611026"]
    services.pairing_end(actor=staff, pairing=pairing, ends_on=datetime.date(2026, 6, 30))
    pairing.refresh_from_db()
    assert pairing.ends_on == datetime.date(2026, 6, 30)
    with pytest.raises(PairingAlreadyEnded):
        services.pairing_end(actor=staff, pairing=pairing)


# --- the report -------------------------------------------------------------------


def verified_off_platform(team, amount, *, origin, on, approve=True):
    purchase = services.off_platform_purchase_record(
        organisation=team.organisation,
        actor=team.purchaser,
        channel=OffPlatformPurchase.Channel.DIRECT,
        supplier_name="紫阳县汉江富硒茶叶专业合作社",
        origin_county=origin,
        amount=Decimal(amount),
        purchased_on=on,
        category="茶叶",
        evidence=evidence_file(),
    )
    if approve is None:
        return purchase
    return services.off_platform_purchase_verify(
        record=purchase, actor=StaffUserFactory(), approve=approve
    )


@pytest.fixture
def golden():
    """Two pairings over the same counties and a year of purchases; the
    expected figures are worked out by hand in each test."""
    zhashui, ziyang, langao = county("611026"), county("610924"), county("610925")
    nanjing = county("320106")
    jiangsu = nanjing.parent.parent
    from_a = product_with_stock(stock=1000, origin_county=zhashui)  # ¥39.90
    from_b = product_with_stock(stock=1000, origin_county=ziyang)
    from_c = product_with_stock(stock=1000, origin_county=langao)
    sellers = {p.pk: producer_user(p.producer) for p in (from_a, from_b, from_c)}

    def bought(team, product, quantity, state=ContractStatus.ACCEPTED, ago=30):
        contract_in_state(
            team, product, quantity, state, seller=sellers[product.pk], accepted_on=days_ago(ago)
        )

    helper = Team()  # in 柞水县
    union = Team(kind="union", union_of=helper.organisation)
    outsider = Team(region=nanjing)
    bought(helper, from_a, 10)  # 399.00 from 柞水
    bought(helper, from_b, 5, ContractStatus.SETTLED)  # 199.50 from 紫阳
    bought(helper, from_c, 10)  # 岚皋 is not a helped county
    bought(helper, from_a, 2, ago=90)  # before the pairing began
    bought(helper, from_a, 4, ContractStatus.SHIPPED)  # not accepted
    bought(union, from_a, 1)  # 39.90: the union counts toward its unit
    bought(outsider, from_a, 3)  # 119.70 by a unit in 江苏: the region pairing's
    bought(outsider, from_a, 6, ago=5)  # after the region pairing ended
    verified_off_platform(helper, "1000.00", origin=ziyang, on=days_ago(20))
    verified_off_platform(helper, "700.00", origin=ziyang, on=days_ago(20), approve=None)
    verified_off_platform(helper, "800.00", origin=langao, on=days_ago(20))
    verified_off_platform(outsider, "50.00", origin=zhashui, on=days_ago(40))

    designated = PairingFactory(
        helper_unit=helper.organisation,
        helped_counties=[zhashui, ziyang],
        starts_on=days_ago(60),
    )
    east_west = PairingFactory(
        kind=PairingKind.EAST_WEST,
        helper_unit=None,
        helper_region=jiangsu,
        helped_counties=[zhashui],
        starts_on=days_ago(100),
        ends_on=days_ago(10),
    )
    idle = PairingFactory(helper_unit=BuyerOrganisationFactory(), helped_counties=[langao])
    return {
        "designated": designated,
        "east_west": east_west,
        "idle": idle,
        "helper": helper.organisation,
        "outsider": outsider.organisation,
        "counties": (zhashui, ziyang),
    }


def test_each_pairing_counts_its_helpers_purchases_from_its_counties_within_its_dates(
    golden, django_assert_num_queries
):
    pairings = [golden["designated"], golden["east_west"], golden["idle"]]
    with django_assert_num_queries(3):
        figures = pairing_purchases(pairings=pairings, date_from=days_ago(365), date_to=TODAY)
    designated = figures[golden["designated"].pk]
    assert designated.contracts == Decimal("638.40")  # 399.00 + 199.50 + 39.90
    assert designated.off_platform == Decimal("1000.00")
    assert designated.total == Decimal("1638.40")
    east_west = figures[golden["east_west"].pk]
    assert east_west.contracts == Decimal("119.70")
    assert east_west.off_platform == Decimal("50.00")
    assert figures[golden["idle"].pk].total == Decimal("0.00")


def test_the_chosen_date_range_narrows_every_pairing(golden):
    figures = pairing_purchases(
        pairings=[golden["designated"], golden["east_west"]],
        date_from=days_ago(25),
        date_to=TODAY,
    )
    assert figures[golden["designated"].pk].contracts == Decimal("0.00")
    assert figures[golden["designated"].pk].off_platform == Decimal("1000.00")
    assert figures[golden["east_west"].pk].total == Decimal("0.00")


def test_one_pairing_drills_down_by_county_and_by_unit(golden, django_assert_max_num_queries):
    zhashui, ziyang = golden["counties"]
    with django_assert_max_num_queries(8):
        breakdown = pairing_purchases_breakdown(
            pairing=golden["designated"], date_from=days_ago(365), date_to=TODAY
        )
    assert breakdown.figures.total == Decimal("1638.40")
    assert [(c.code, f.contracts, f.off_platform) for c, f in breakdown.by_county] == [
        ("610924", Decimal("199.50"), Decimal("1000.00")),
        ("611026", Decimal("438.90"), Decimal("0.00")),
    ]
    assert [(u, f.total) for u, f in breakdown.by_unit] == [(golden["helper"], Decimal("1638.40"))]


def test_the_report_costs_the_same_queries_however_many_pairings(golden, django_assert_num_queries):
    more = [
        PairingFactory(
            helper_unit=golden["helper"],
            helped_counties=list(golden["counties"]),
            starts_on=days_ago(60),
        )
        for _ in range(5)
    ]
    with django_assert_num_queries(3):
        figures = pairing_purchases(
            pairings=[golden["designated"], *more], date_from=days_ago(365), date_to=TODAY
        )
    assert {f.total for f in figures.values()} == {Decimal("1638.40")}
    assert Region.objects.filter(helping_pairings__in=more).count() == 10
