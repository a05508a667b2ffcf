import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from procurement import services
from procurement.exceptions import ProcurementError
from procurement.models import ContractStatus, OffPlatformPurchase
from procurement.selectors import unit_progress, units_progress_overview
from tests.factories import StaffUserFactory, county, product_with_stock
from tests.factories.procurement import (
    AnnualPlanFactory,
    Team,
    contract_in_state,
    evidence_file,
)

# Progress is summed in SQL: run on SQLite (make run) too.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

THIS_YEAR = timezone.localdate().year


def test_contract_counts_in_the_year_it_was_accepted_at_the_accepted_amount(team, product, seller):
    AnnualPlanFactory(organisation=team.organisation, year=THIS_YEAR - 1)
    last_day = datetime.date(THIS_YEAR - 1, 12, 31)
    contract = contract_in_state(team, product, 10, ContractStatus.SHIPPED, seller=seller)
    line = contract.lines.get()
    services.contract_accept(
        contract=contract,
        actor=team.purchaser,
        lines=[services.LineAcceptance(line_id=line.pk, received=10, accepted=8)],
        rating=4,
        today=last_day,
    )
    previous = unit_progress(unit=team.organisation, year=THIS_YEAR - 1)
    current = unit_progress(unit=team.organisation, year=THIS_YEAR)
    assert previous.counted == Decimal("319.20")  # 8 × 39.90, not the ordered 10
    assert previous.by_month[11]["amount"] == Decimal("319.20")
    assert current.counted == Decimal("0.00")


def test_contracts_not_yet_accepted_are_pending_not_counted(team, product, seller):
    for state in (ContractStatus.AWAITING, ContractStatus.CONFIRMED, ContractStatus.SHIPPED):
        contract_in_state(team, product, 10, state, seller=seller)
    contract_in_state(team, product, 10, ContractStatus.DECLINED, seller=seller)
    progress = unit_progress(unit=team.organisation, year=THIS_YEAR)
    assert progress.counted == Decimal("0.00")
    assert progress.pending == Decimal("1197.00")


def test_target_percentage_and_remaining(team, product, seller):
    AnnualPlanFactory(
        organisation=team.organisation,
        year=THIS_YEAR,
        canteen_budget=Decimal("20000"),
        reserve_ratio=Decimal("0.15"),
    )
    contract_in_state(team, product, 25, ContractStatus.SETTLED, seller=seller)
    progress = unit_progress(unit=team.organisation, year=THIS_YEAR)
    assert progress.target == Decimal("3000.00")
    assert progress.counted == Decimal("997.50")
    assert progress.percent == Decimal("33.3")
    assert progress.remaining == Decimal("2002.50")


def test_trade_union_purchases_count_toward_their_unit(team, product, seller):
    union = Team(kind="union", union_of=team.organisation)
    contract_in_state(union, product, 10, ContractStatus.ACCEPTED, seller=seller)
    contract_in_state(team, product, 10, ContractStatus.ACCEPTED, seller=seller)
    assert unit_progress(unit=team.organisation, year=THIS_YEAR).counted == Decimal("798.00")


def test_soe_purchases_and_helped_sales_are_kept_apart(product, seller):
    soe = Team(kind="soe")
    contract_in_state(soe, product, 10, ContractStatus.ACCEPTED, seller=seller)
    services.helped_sale_record(
        organisation=soe.organisation,
        actor=soe.purchaser,
        buyer_name="集团职工福利采购",
        producer=product.producer,
        amount=Decimal("50000"),
        sold_on=timezone.localdate(),
        evidence=evidence_file(),
    )
    progress = unit_progress(unit=soe.organisation, year=THIS_YEAR)
    assert progress.counted == Decimal("399.00")
    assert progress.helped_sales == Decimal("50000.00")


def test_only_state_owned_enterprises_record_helped_sales(team, product):
    with pytest.raises(ProcurementError) as excinfo:
        services.helped_sale_record(
            organisation=team.organisation,
            actor=team.purchaser,
            buyer_name="某单位",
            producer=product.producer,
            amount=Decimal("1"),
            sold_on=timezone.localdate(),
            evidence=evidence_file(),
        )
    assert excinfo.value.code == "helped_sale_soe_only"


def test_progress_of_one_unit_ignores_other_units(team, product, seller):
    other = Team()
    contract_in_state(
        other,
        product_with_stock(producer=product.producer),
        3,
        ContractStatus.ACCEPTED,
        seller=seller,
    )
    assert unit_progress(unit=team.organisation, year=THIS_YEAR).counted == Decimal("0.00")


def test_shared_canteen_members_purchases_count_toward_the_representative(
    client, team, product, seller
):
    AnnualPlanFactory(organisation=team.organisation, year=THIS_YEAR)
    member_unit = Team()
    AnnualPlanFactory(
        organisation=member_unit.organisation,
        year=THIS_YEAR,
        canteen_status="shared",
        canteen_budget=Decimal("0"),
        represented_by=team.organisation,
    )
    # Its own-canteen plan for last year must neither double nor leak anything.
    AnnualPlanFactory(organisation=member_unit.organisation, year=THIS_YEAR - 1)
    contract_in_state(member_unit, product, 10, ContractStatus.ACCEPTED, seller=seller)
    contract_in_state(member_unit, product, 2, ContractStatus.SHIPPED, seller=seller)
    contract_in_state(team, product, 10, ContractStatus.ACCEPTED, seller=seller)

    representative = unit_progress(unit=team.organisation, year=THIS_YEAR)
    assert (representative.counted, representative.pending) == (
        Decimal("798.00"),
        Decimal("79.80"),
    )
    own = unit_progress(unit=member_unit.organisation, year=THIS_YEAR)
    assert (own.target, own.counted) == (Decimal("0.00"), Decimal("399.00"))
    assert unit_progress(unit=team.organisation, year=THIS_YEAR - 1).counted == Decimal("0.00")

    (row,) = [u for u in units_progress_overview(year=THIS_YEAR) if u.pk == team.organisation.pk]
    assert (row.counted, row.pending) == (Decimal("798.00"), Decimal("79.80"))


def verified_off_platform(team, amount):
    purchase = services.off_platform_purchase_record(
        organisation=team.organisation,
        actor=team.purchaser,
        channel=OffPlatformPurchase.Channel.DIRECT,
        supplier_name="紫阳县汉江富硒茶叶专业合作社",
        origin_county=county("610924"),
        amount=Decimal(amount),
        purchased_on=timezone.localdate(),
        category="茶叶",
        evidence=evidence_file(),
    )
    return services.off_platform_purchase_verify(
        record=purchase, actor=StaffUserFactory(), approve=True
    )


def _overview_counted(unit):
    (row,) = [u for u in units_progress_overview(year=THIS_YEAR) if u.pk == unit.pk]
    return row.counted


def test_trade_union_off_platform_purchases_count_toward_their_unit(team):
    union = Team(kind="union", union_of=team.organisation)
    verified_off_platform(union, "500")
    verified_off_platform(team, "100")
    assert unit_progress(unit=team.organisation, year=THIS_YEAR).counted == Decimal("600.00")
    assert _overview_counted(team.organisation) == Decimal("600.00")


def test_a_shared_canteen_members_union_counts_toward_the_representative_on_and_off_platform(
    team, product, seller
):
    AnnualPlanFactory(organisation=team.organisation, year=THIS_YEAR)
    member_unit = Team()
    AnnualPlanFactory(
        organisation=member_unit.organisation,
        year=THIS_YEAR,
        canteen_status="shared",
        canteen_budget=Decimal("0"),
        represented_by=team.organisation,
    )
    members_union = Team(kind="union", union_of=member_unit.organisation)
    contract_in_state(members_union, product, 10, ContractStatus.ACCEPTED, seller=seller)
    verified_off_platform(members_union, "500")
    # The union's purchases count toward its unit, and the unit's toward the
    # representative: the same chain whether bought on the platform or off it.
    assert unit_progress(unit=member_unit.organisation, year=THIS_YEAR).counted == Decimal("899.00")
    assert unit_progress(unit=team.organisation, year=THIS_YEAR).counted == Decimal("899.00")
    assert _overview_counted(team.organisation) == Decimal("899.00")


# --- golden figures: pending by year, a union's own page (issue 11, agencies) ----------


def _made_on(contract, day: datetime.date):
    """Backdate (or postdate) when the contract was made, noon Beijing time."""
    made = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    type(contract).objects.filter(pk=contract.pk).update(created_at=made)


def _overview_row(unit, year):
    (row,) = [u for u in units_progress_overview(year=year) if u.pk == unit.pk]
    return row


def test_a_contract_made_next_year_is_not_pending_in_this_years_figures(team, product, seller):
    """Golden figures: 10 × 39.90 made on 12 January of next year, 2 × 39.90 made
    on 31 December: only the second is pending this year, both are next year."""
    next_year = contract_in_state(team, product, 10, ContractStatus.CONFIRMED, seller=seller)
    _made_on(next_year, datetime.date(THIS_YEAR + 1, 1, 12))
    last_day = contract_in_state(team, product, 2, ContractStatus.AWAITING, seller=seller)
    _made_on(last_day, datetime.date(THIS_YEAR, 12, 31))

    assert unit_progress(unit=team.organisation, year=THIS_YEAR).pending == Decimal("79.80")
    assert _overview_row(team.organisation, THIS_YEAR).pending == Decimal("79.80")
    assert unit_progress(unit=team.organisation, year=THIS_YEAR + 1).pending == Decimal("478.80")
    assert _overview_row(team.organisation, THIS_YEAR + 1).pending == Decimal("478.80")


def test_a_unions_own_page_counts_its_contracts_and_its_off_platform_purchases(
    team, product, seller
):
    """Golden figures: the union accepts 10 × 39.90 and has ¥500 verified off the
    platform, and has 3 × 39.90 shipped; its unit accepts 10 × 39.90 itself."""
    union = Team(kind="union", union_of=team.organisation)
    contract_in_state(union, product, 10, ContractStatus.ACCEPTED, seller=seller)
    contract_in_state(union, product, 3, ContractStatus.SHIPPED, seller=seller)
    verified_off_platform(union, "500")
    contract_in_state(team, product, 10, ContractStatus.ACCEPTED, seller=seller)

    own = unit_progress(unit=union.organisation, year=THIS_YEAR)
    assert (own.counted_contracts, own.counted_off_platform, own.pending) == (
        Decimal("399.00"),
        Decimal("500.00"),
        Decimal("119.70"),
    )
    assert own.counted == Decimal("899.00")
    unit = unit_progress(unit=team.organisation, year=THIS_YEAR)
    assert (unit.counted, unit.pending) == (Decimal("1298.00"), Decimal("119.70"))
