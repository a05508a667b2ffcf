"""Golden figures for the charts' trend selector (oversight.selectors.money_trend)
and the pairings of a region (pairings_in_scope), on the golden programme
(tests/support/oversight.py): October of last year as the period."""

import datetime
from decimal import Decimal

import pytest

from oversight.periods import period_containing, period_parse
from oversight.rules import EVERYTHING, RegionScope
from oversight.selectors import money_to_places, money_trend, pairings_in_scope
from procurement import services
from tests.factories.procurement import PairingFactory, evidence_file
from tests.support.oversight import OCTOBER, YEAR

# Figures are summed in SQL: run on SQLite (make run) too.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def _scope(*regions):
    return RegionScope(national=False, root_ids=frozenset(r.pk for r in regions))


def _totals(points):
    return [(p.period.slug, p.amounts.total, p.last_year.total) for p in points]


def test_monthly_trend_has_twelve_months_with_channels_and_last_year(programme):
    u1, u2, u3, soe = programme["units"]
    # A helped sale in October the year before: last year's side of October.
    services.helped_sale_record(
        organisation=soe.organisation,
        actor=soe.purchaser,
        buyer_name="集团工会",
        producer=programme["producer_a"],
        amount=Decimal("450.00"),
        sold_on=datetime.date(YEAR - 1, 10, 31),
        evidence=evidence_file(),
    )
    points = money_trend(scope=EVERYTHING, period=OCTOBER)
    assert [p.period.slug for p in points] == [
        f"{YEAR - 1}-11",
        f"{YEAR - 1}-12",
        *[f"{YEAR}-{m:02d}" for m in range(1, 11)],
    ]
    october, september = points[-1], points[-2]
    assert (
        october.amounts.consumer,
        october.amounts.agency,
        october.amounts.off_platform,
        october.amounts.helped,
    ) == (Decimal("79.80"), Decimal("1197.00"), Decimal("300.00"), Decimal("1000.00"))
    # The trend's last point is the period's own figure, counted the same way.
    assert october.amounts.total == money_to_places(scope=EVERYTHING, period=OCTOBER).totals.total
    assert october.last_year.helped == Decimal("450.00")
    assert (september.amounts.total, september.last_year.total) == (Decimal("199.50"), 0)
    assert all(p.amounts.total == 0 for p in points[:-2])


def test_trend_follows_the_period_kind_and_the_scope(programme):
    quarters = money_trend(scope=EVERYTHING, period=period_parse(f"{YEAR}-Q4"), length=4)
    assert _totals(quarters) == [
        (f"{YEAR}-Q1", 0, 0),
        (f"{YEAR}-Q2", 0, 0),
        (f"{YEAR}-Q3", Decimal("199.50"), 0),
        (f"{YEAR}-Q4", Decimal("2576.80"), 0),
    ]
    # The week of 15 October holds the 柞水 unit's contract accepted that day.
    week = period_containing(datetime.date(YEAR, 10, 15), "week")
    weeks = money_trend(scope=EVERYTHING, period=week, length=3)
    assert [p.period for p in weeks] == [week.previous().previous(), week.previous(), week]
    assert weeks[-1].amounts.agency == Decimal("399.00")
    # A county office sees the money reaching its county only.
    zhashui = money_trend(scope=_scope(programme["zhashui"]), period=OCTOBER, length=2)
    assert _totals(zhashui) == [
        (f"{YEAR}-09", 0, 0),
        (f"{YEAR}-10", Decimal("1276.80"), 0),
    ]


def test_the_trend_costs_one_query_per_channel(programme, django_assert_num_queries):
    with django_assert_num_queries(4):
        money_trend(scope=_scope(programme["zhashui"]), period=OCTOBER)


def test_pairings_of_a_region_with_their_purchases_from_helped_counties(programme):
    u1, u2, u3, soe = programme["units"]
    zhashui, ziyang = programme["zhashui"], programme["ziyang"]
    start = datetime.date(YEAR, 1, 1)
    school = PairingFactory(
        name="紫阳中学帮扶柞水", helper_unit=u2.organisation, helped_counties=[zhashui],
        starts_on=start,
    )  # fmt: skip
    beijing = PairingFactory(
        name="朝阳帮扶紫阳", helper_unit=u3.organisation, helped_counties=[ziyang], starts_on=start
    )
    bureau = PairingFactory(
        name="柞水农业局帮扶紫阳", helper_unit=u1.organisation, helped_counties=[ziyang],
        starts_on=start,
    )  # fmt: skip
    PairingFactory(
        name="已结束的结对", helper_unit=u2.organisation, helped_counties=[zhashui],
        starts_on=start, ends_on=datetime.date(YEAR, 6, 30),
    )  # fmt: skip

    rows = pairings_in_scope(scope=EVERYTHING, period=OCTOBER)
    # The school bought 20 × 39.90 from 柞水 on 20 October; the bureau's purchase
    # from 紫阳 was accepted in September; the ended pairing is not in force.
    assert [(r.name, r.contracts, r.off_platform, r.total) for r in rows] == [
        ("紫阳中学帮扶柞水", Decimal("798.00"), Decimal("0.00"), Decimal("798.00")),
        ("朝阳帮扶紫阳", Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
        ("柞水农业局帮扶紫阳", Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
    ]
    assert rows[0].helper_name == u2.organisation.name
    assert rows[0].counties == ["柞水县"]
    # A county sees the pairings helping it and those whose helper is in it.
    assert {r.pairing_id for r in pairings_in_scope(scope=_scope(zhashui), period=OCTOBER)} == {
        school.pk,
        bureau.pk,
    }
    beijing_scope = _scope(u3.organisation.region.province)
    assert [r.pairing_id for r in pairings_in_scope(scope=beijing_scope, period=OCTOBER)] == [
        beijing.pk
    ]
