"""Golden figures for every oversight figure (oversight.selectors) on one
programme: two Shaanxi counties (柞水县 a key-assistance county, 紫阳县 not),
units in 柞水, 紫阳 and Beijing, October of last year as the period."""

import datetime
from decimal import Decimal

import pytest

from oversight.periods import period_parse
from oversight.rules import EVERYTHING, RegionScope
from oversight.selectors import (
    buyer_figures,
    buyers_counted_total,
    compared,
    expected_share,
    household_figures,
    money_to_places,
    money_to_producers,
    money_total,
    payment_figures,
)
from procurement import services
from procurement.models import BuyerOrganisation, ContractStatus
from tests.factories import ProducerFactory, product_with_stock
from tests.factories.procurement import AnnualPlanFactory, Team, contract_in_state, producer_user
from tests.support.oversight import NOVEMBER, OCTOBER, YEAR

DECEMBER = period_parse(f"{YEAR}-12")

# Figures are summed in SQL: run on SQLite (make run) too.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def _day(month, day):
    return datetime.date(YEAR, month, day)


def _scope(region):
    return RegionScope(national=False, root_ids=frozenset({region.pk}))


def test_money_to_places_by_channel_rolled_up_with_key_county_share(programme):
    whole = money_to_places(scope=EVERYTHING, period=OCTOBER)
    assert [row.name for row in whole.rows] == ["陕西省"]
    totals = whole.totals
    assert (totals.consumer, totals.agency, totals.off_platform, totals.helped) == (
        Decimal("79.80"),
        Decimal("1197.00"),
        Decimal("300.00"),
        Decimal("1000.00"),
    )
    assert totals.total == Decimal("2576.80")
    assert whole.key_county_total == Decimal("1276.80")
    assert whole.key_county_share == Decimal("49.5")  # 1276.80 / 2576.80

    province = programme["zhashui"].province
    cities = money_to_places(scope=EVERYTHING, period=OCTOBER, region=province)
    assert [(row.name, row.amounts.total) for row in cities.rows] == [
        ("安康市", Decimal("1300.00")),
        ("商洛市", Decimal("1276.80")),
    ]
    counties = money_to_places(scope=EVERYTHING, period=OCTOBER, region=programme["zhashui"].parent)
    assert [(row.name, row.is_key_assistance_county) for row in counties.rows] == [("柞水县", True)]

    county_office = money_to_places(scope=_scope(programme["zhashui"]), period=OCTOBER)
    assert county_office.totals.total == Decimal("1276.80")
    two_counties = RegionScope(
        national=False, root_ids=frozenset({programme["zhashui"].pk, programme["ziyang"].pk})
    )
    assert [row.name for row in money_to_places(scope=two_counties, period=OCTOBER).rows] == [
        "紫阳县",
        "柞水县",
    ]

    (row,) = money_to_producers(county=programme["zhashui"], period=OCTOBER)
    assert row.producer_id == programme["producer_a"].pk
    assert (row.amounts.consumer, row.amounts.agency) == (Decimal("79.80"), Decimal("1197.00"))


def test_money_compared_with_the_previous_month_and_last_year(programme):
    figures = compared(money_total, scope=EVERYTHING, period=OCTOBER)
    assert figures.current.total == Decimal("2576.80")
    assert figures.previous.agency == Decimal("199.50")  # September's acceptance
    assert figures.previous.total == Decimal("199.50")
    assert figures.last_year.total == Decimal("0.00")


def test_buyers_progress_expectation_rankings_behind_and_missed_filing(programme):
    u1, u2, u3, soe = programme["units"]
    assert expected_share(period=OCTOBER) == Decimal(304) / Decimal(365 + (YEAR % 4 == 0))
    figures = buyer_figures(scope=EVERYTHING, period=OCTOBER)
    rows = {row.unit_id: row for row in figures.units}
    first = rows[u1.organisation.pk]
    # 10 × 39.90 in October and 5 × 39.90 in September, against 10,000 × 10%.
    assert (first.target, first.counted, first.percent) == (
        Decimal("1000.00"),
        Decimal("598.50"),
        Decimal("59.9"),
    )
    assert first.is_behind and (first.rank_in_kind, first.units_of_kind) == (1, 2)
    second = rows[u2.organisation.pk]
    assert (second.counted, second.percent, second.is_behind) == (
        Decimal("1098.00"),
        Decimal("91.5"),
        False,
    )
    assert rows[u3.organisation.pk].rank_in_kind == 2
    assert [row.unit_id for row in figures.behind] == [u3.organisation.pk, u1.organisation.pk]
    assert [row.unit_id for row in figures.missed_filing] == [soe.organisation.pk]
    assert figures.counted == Decimal("1696.50")

    county_office = buyer_figures(scope=_scope(programme["zhashui"]), period=OCTOBER)
    assert [row.unit_id for row in county_office.units] == [u1.organisation.pk]


def test_households_from_verified_linkage_only(programme):
    figures = household_figures(scope=EVERYTHING, period=OCTOBER)
    assert (figures.producers, figures.total, figures.employment, figures.asset_income) == (
        1,
        30,
        10,
        12,
    )
    assert figures.purchase_amount == Decimal("160000.00")
    assert household_figures(scope=_scope(programme["ziyang"]), period=OCTOBER).total == 0


def test_payment_discipline_overdue_interest_and_days_to_pay(programme):
    october = payment_figures(scope=EVERYTHING, period=OCTOBER)
    assert october.overdue == []
    (delay,) = october.settled_delays
    assert (delay.contracts, delay.average_days) == (1, Decimal("40.0"))  # 10 Sep → 20 Oct

    november = payment_figures(scope=EVERYTHING, period=NOVEMBER)
    # Due 30 days after acceptance: 14 and 19 November; counted to 30 November.
    assert [(row.days_overdue, row.owed, row.interest) for row in november.overdue] == [
        (16, Decimal("399.00"), Decimal("3.19")),
        (11, Decimal("798.00"), Decimal("4.39")),
    ]
    assert (november.overdue_amount, november.interest_owed) == (
        Decimal("1197.00"),
        Decimal("7.58"),
    )
    county_office = payment_figures(scope=_scope(programme["ziyang"]), period=NOVEMBER)
    assert [row.owed for row in county_office.overdue] == [Decimal("798.00")]


def test_a_part_payment_lowers_owed_and_interest_and_only_the_last_payment_settles(programme):
    u1 = programme["units"][0]
    contract = programme["october_a"]  # 399.00, due 14 November
    services.payment_record(
        contract=contract,
        actor=u1.finance,
        reference="ZZ-OCT-A-1",
        paid_on=_day(11, 20),
        amount=Decimal("199.00"),
    )
    november = payment_figures(scope=EVERYTHING, period=NOVEMBER)
    # 399.00 for 6 days (15–20 November), then 200.00 for 10: 1.197 + 1.00.
    assert [
        (row.contract_id, row.owed, row.interest)
        for row in november.overdue
        if row.contract_id == contract.pk
    ] == [(contract.pk, Decimal("200.00"), Decimal("2.20"))]

    contract.refresh_from_db()
    services.payment_record(
        contract=contract,
        actor=u1.finance,
        reference="ZZ-OCT-A-2",
        paid_on=_day(12, 5),
        amount=Decimal("200.00"),
    )
    # Settled by its last payment, on 5 December: November's part payment
    # does not make it a contract settled in November.
    assert payment_figures(scope=EVERYTHING, period=NOVEMBER).settled_delays == []
    (delay,) = payment_figures(scope=EVERYTHING, period=DECEMBER).settled_delays
    assert (delay.unit_id, delay.contracts, delay.average_days) == (
        u1.organisation.pk,
        1,
        Decimal("51.0"),  # 15 October → 5 December
    )


def test_headline_totals_equal_the_figures_they_summarise(programme):
    for period in (OCTOBER, NOVEMBER):
        assert buyers_counted_total(scope=EVERYTHING, period=period) == (
            buyer_figures(scope=EVERYTHING, period=period).counted
        )
        assert money_total(scope=EVERYTHING, period=period) == (
            money_to_places(scope=EVERYTHING, period=period).totals
        )
    kinds = {
        row.kind: row.kind_label for row in buyer_figures(scope=EVERYTHING, period=OCTOBER).units
    }
    assert kinds == {kind: str(BuyerOrganisation.Kind(kind).label) for kind in kinds}


# (figure, period, queries): October has money in every channel, November
# overdue contracts, part payments and settled ones.
FIGURE_QUERIES = [
    (buyer_figures, OCTOBER, 4),
    (buyers_counted_total, OCTOBER, 4),
    (money_to_places, OCTOBER, 2),
    (money_total, OCTOBER, 1),
    (household_figures, OCTOBER, 1),
    (payment_figures, NOVEMBER, 2),
]


def _grow(programme, count):
    """``count`` more units in 紫阳, each with a contract accepted in October
    (overdue by the end of November) part paid in November, and one settled."""
    ziyang = programme["ziyang"]
    product = product_with_stock(stock=500, producer=ProducerFactory(county=ziyang))
    seller = producer_user(product.producer)
    for index in range(count):
        team = Team(region=ziyang, name=f"紫阳县单位{count}-{index}")
        AnnualPlanFactory(organisation=team.organisation, year=YEAR)
        overdue, settled = (
            contract_in_state(
                team, product, 3, ContractStatus.ACCEPTED, seller=seller, accepted_on=_day(10, day)
            )
            for day in (12, 13)
        )
        services.payment_record(
            contract=overdue,
            actor=team.finance,
            reference=f"GROW-{count}-{index}",
            paid_on=_day(11, 18),
            amount=Decimal("50.00"),
        )
        services.payment_record(
            contract=settled,
            actor=team.finance,
            reference=f"GROW-{count}-{index}-S",
            paid_on=_day(11, 2),
            amount=settled.payable_amount,
        )


def test_each_figure_costs_the_same_queries_as_the_data_grows(programme, django_assert_num_queries):
    def run_all():
        for figure, period, queries in FIGURE_QUERIES:
            with django_assert_num_queries(queries):
                figure(scope=EVERYTHING, period=period)

    run_all()
    _grow(programme, 3)
    run_all()
    payments = payment_figures(scope=EVERYTHING, period=NOVEMBER)
    assert (len(payments.overdue), sum(d.contracts for d in payments.settled_delays)) == (5, 3)
