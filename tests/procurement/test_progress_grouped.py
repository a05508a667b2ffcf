"""The staff overview's grouped figures (procurement.selectors.units_progress_figures)
against the correlated subqueries they replaced and against each unit's own page
(unit_progress), on one set of data that exercises all six counting rules."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from procurement import services
from procurement.models import ContractStatus, OffPlatformPurchase
from procurement.selectors import (
    unit_progress,
    units_progress_figures,
    units_progress_overview,
)
from tests.factories import StaffUserFactory, county, product_with_stock
from tests.factories.procurement import AnnualPlanFactory, Team, contract_in_state, evidence_file
from tests.support.progress_reference import units_progress_overview_correlated

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

THIS_YEAR = timezone.localdate().year


def _off_platform(team, amount, *, corrects=None, on=None):
    record = services.off_platform_purchase_record(
        organisation=team.organisation,
        actor=team.purchaser,
        channel=OffPlatformPurchase.Channel.DIRECT,
        supplier_name="紫阳县汉江富硒茶叶专业合作社",
        origin_county=county("610924"),
        amount=Decimal(amount),
        purchased_on=on or timezone.localdate(),
        category="茶叶",
        evidence=evidence_file(),
        corrects=corrects,
        correction_reason="金额录错" if corrects else "",
    )
    return services.off_platform_purchase_verify(
        record=record, actor=StaffUserFactory(), approve=True
    )


@pytest.fixture
def programme(team, product, seller):
    """A representative with a shared-canteen member (whose union buys too), a
    unit with a union, an SOE, a unit with nothing: accepted this year and on
    31 December last year, pending, declined, off-platform with a correction."""
    AnnualPlanFactory(organisation=team.organisation, year=THIS_YEAR)
    AnnualPlanFactory(organisation=team.organisation, year=THIS_YEAR - 1)
    member_unit, idle, soe = Team(), Team(), Team(kind="soe")
    AnnualPlanFactory(
        organisation=member_unit.organisation,
        year=THIS_YEAR,
        canteen_status="shared",
        canteen_budget=Decimal("0"),
        represented_by=team.organisation,
    )
    AnnualPlanFactory(organisation=member_unit.organisation, year=THIS_YEAR - 1)
    AnnualPlanFactory(organisation=soe.organisation, year=THIS_YEAR, canteen_budget=Decimal("5000"))
    members_union = Team(kind="union", union_of=member_unit.organisation)
    union = Team(kind="union", union_of=team.organisation)

    contract_in_state(team, product, 10, ContractStatus.ACCEPTED, seller=seller)
    contract_in_state(
        team,
        product,
        4,
        ContractStatus.ACCEPTED,
        seller=seller,
        accepted_on=datetime.date(THIS_YEAR - 1, 12, 31),
    )
    contract_in_state(member_unit, product, 3, ContractStatus.SETTLED, seller=seller)
    contract_in_state(member_unit, product, 2, ContractStatus.SHIPPED, seller=seller)
    contract_in_state(members_union, product, 5, ContractStatus.ACCEPTED, seller=seller)
    contract_in_state(union, product, 6, ContractStatus.CONFIRMED, seller=seller)
    contract_in_state(union, product, 1, ContractStatus.DECLINED, seller=seller)
    contract_in_state(
        soe, product_with_stock(producer=product.producer), 7, "accepted", seller=seller
    )
    wrong = _off_platform(members_union, "800")
    _off_platform(members_union, "80", corrects=wrong)
    _off_platform(union, "150")
    return [team, member_unit, idle, soe]


@pytest.mark.parametrize("year", [THIS_YEAR, THIS_YEAR - 1])
def test_grouped_figures_equal_the_correlated_subqueries_and_each_units_page(programme, year):
    old = {
        unit.pk: (unit.target, unit.counted, unit.pending)
        for unit in units_progress_overview_correlated(year=year)
    }
    new = {
        unit.pk: (unit.target, unit.counted, unit.pending)
        for unit in units_progress_overview(year=year)
    }
    assert new == old
    for team in programme:
        page = unit_progress(unit=team.organisation, year=year)
        assert new[team.organisation.pk] == (page.target, page.counted, page.pending)
    assert any(counted for _target, counted, _pending in new.values())


def test_golden_grouped_figures_this_year(programme):
    team, member_unit, idle, soe = programme
    figures = units_progress_figures(
        year=THIS_YEAR, unit_ids=[unit.organisation.pk for unit in programme]
    )
    # Representative: own 10, member's 3, member's union's 5 (× 39.90), the
    # union's ¥150 and the member union's corrected ¥80 off the platform.
    assert figures[team.organisation.pk].counted == Decimal("718.20") + Decimal("230.00")
    # Pending: the member's 2 and the union's 6.
    assert figures[team.organisation.pk].pending == Decimal("319.20")
    assert figures[team.organisation.pk].target == Decimal("100000.00")
    assert figures[member_unit.organisation.pk].counted == Decimal("399.20")
    assert figures[member_unit.organisation.pk].filed
    assert figures[idle.organisation.pk] == figures[idle.organisation.pk].__class__(
        target=Decimal("0.00"), counted=Decimal("0.00"), pending=Decimal("0.00"), filed=False
    )
    assert figures[soe.organisation.pk].counted == Decimal("279.30")
    assert figures[soe.organisation.pk].percent == Decimal("55.9")


def test_counted_up_to_a_day_leaves_out_later_acceptances(programme):
    team = programme[0]
    last_year = units_progress_figures(
        year=THIS_YEAR - 1,
        unit_ids=[team.organisation.pk],
        until=datetime.date(THIS_YEAR - 1, 12, 30),
    )
    assert last_year[team.organisation.pk].counted == Decimal("0.00")
    whole = units_progress_figures(year=THIS_YEAR - 1, unit_ids=[team.organisation.pk])
    assert whole[team.organisation.pk].counted == Decimal("159.60")


def test_the_overview_costs_the_same_queries_for_three_units_or_thirty(
    django_assert_max_num_queries, team, product, seller
):
    def grow(count):
        for _ in range(count):
            other = Team()
            AnnualPlanFactory(organisation=other.organisation, year=THIS_YEAR)
            _off_platform(other, "10")

    grow(3)
    with django_assert_max_num_queries(5):
        small = units_progress_overview(year=THIS_YEAR)
    grow(27)
    with django_assert_max_num_queries(5):
        large = units_progress_overview(year=THIS_YEAR)
    assert len(large) == len(small) + 27
