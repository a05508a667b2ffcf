"""The programme's figures for a region and a period (issue 14, item 3).

Every figure is a function of a ``RegionScope`` (``oversight.rules``: what the
viewer may see, narrowed to the region picked) and a ``Period``, computed from
grouped SQL aggregates: a fixed number of queries whatever the data holds. Each
returns plain dataclasses of Decimals and ints, with no request in sight, so a
bulletin can call it later and freeze the result. ``compared`` runs a figure
for the period, the previous period and the same period last year.

The counting rules stay where they live: a unit's progress in
``procurement.selectors.units_progress_figures``, the plan filing deadline in
``procurement.selectors.plan_filing_is_open``, overdue contracts in
``procurement.rules.contracts_overdue_q`` and their interest in
``procurement.selectors.contract_late_interest`` (in SQL through its query form
``contracts_with_late_interest``), consumer sales in
``cms.selectors.SOLD_ORDER_STATUSES``, verified household figures in
``BenefitLinkage.is_verified``.
"""

import datetime
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth, TruncWeek
from django.utils import timezone
from oscar.core.loading import get_model

from cms.selectors import SOLD_ORDER_STATUSES
from oversight.periods import Period, PeriodKind, period_containing
from oversight.rules import RegionScope
from procurement.models import (
    COUNTED_CONTRACT_STATUSES,
    BuyerOrganisation,
    Contract,
    ContractLine,
    ContractStatus,
    HelpedSale,
    OffPlatformPurchase,
    Pairing,
    Payment,
    VerificationStatus,
    money,
)
from procurement.pairings import pairing_purchases, pairings_listed
from procurement.rules import contracts_overdue_q
from procurement.selectors import (
    contracts_with_late_interest,
    plan_filing_is_open,
    units_filing_plans,
    units_progress_figures,
)
from producers.models import BenefitLinkage, Producer
from regions.models import Region

Line = get_model("order", "Line")

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)
PERCENT = Decimal("0.1")


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT, rounding=ROUND_HALF_UP)


def _sum(expression) -> Coalesce:
    return Coalesce(Sum(expression), Value(ZERO), output_field=MONEY)


def scope_for_region(scope: RegionScope, region: Region | None) -> RegionScope:
    """The viewer's scope narrowed to ``region`` (None: the whole scope). The
    caller has checked ``scope.covers(region)``."""
    if region is None:
        return scope
    return RegionScope(national=False, root_ids=frozenset({region.pk}))


# --- comparisons ------------------------------------------------------------------


@dataclass(frozen=True)
class Compared:
    """One figure for a period, the period before and the same period last year."""

    period: Period
    current: object
    previous: object
    last_year: object


def compared(figure: Callable, *, period: Period, current=None, **kwargs) -> Compared:
    """``figure(period=…, **kwargs)`` for the period, the previous one and the
    same period last year. ``current``: the period's figure when the caller
    already has it (from a fuller selector), so it is not computed twice."""
    return Compared(
        period=period,
        current=figure(period=period, **kwargs) if current is None else current,
        previous=figure(period=period.previous(), **kwargs),
        last_year=figure(period=period.same_last_year(), **kwargs),
    )


def change_percent(current: Decimal, before: Decimal) -> Decimal | None:
    """Growth from ``before`` to ``current`` in percent (None from zero)."""
    if not before:
        return None
    return ((current - before) * 100 / before).quantize(PERCENT, rounding=ROUND_HALF_UP)


# --- buyers -----------------------------------------------------------------------


def expected_share(*, period: Period) -> Decimal:
    """The time-proportional expectation at the period's end: the share of its
    calendar year elapsed by then (31 October: 304/365)."""
    day = period.last_day
    first = datetime.date(day.year, 1, 1)
    days_in_year = (datetime.date(day.year, 12, 31) - first).days + 1
    return Decimal((day - first).days + 1) / Decimal(days_in_year)


@dataclass(frozen=True)
class UnitRow:
    unit_id: int
    name: str
    kind: str
    kind_label: str
    region_name: str
    target: Decimal
    counted: Decimal
    expected: Decimal  # target × expected_share
    percent: Decimal | None  # counted / target
    rank_in_kind: int  # 1 = furthest ahead among units of its kind in the region
    units_of_kind: int

    @property
    def is_behind(self) -> bool:
        """Below the time-proportional expectation: the list an office summons (约谈)."""
        return self.target > 0 and self.counted < self.expected

    @property
    def shortfall(self) -> Decimal:
        return max(self.expected - self.counted, ZERO)


@dataclass(frozen=True)
class BuyerFigures:
    year: int
    expected_share: Decimal
    units: list[UnitRow]  # ranked: kind, then rank within kind
    missed_filing: list[UnitRow]  # no plan for the year once its filing deadline passed
    target: Decimal
    counted: Decimal

    @property
    def percent(self) -> Decimal | None:
        return _percent(self.counted, self.target)

    @property
    def expected_percent(self) -> Decimal:
        return (self.expected_share * 100).quantize(PERCENT, rounding=ROUND_HALF_UP)

    @property
    def behind(self) -> list[UnitRow]:
        return sorted((u for u in self.units if u.is_behind), key=lambda u: -u.shortfall)


def buyer_figures(
    *, scope: RegionScope, period: Period, today: datetime.date | None = None
) -> BuyerFigures:
    """Each unit in the scope (by the unit's own region) counted from 1 January
    to the period's last day, against its target and against the
    time-proportional expectation; ranked by percent of target within its kind
    (agencies with agencies …); and the units that have not filed a plan
    although the filing deadline has passed (as of ``today``). Six queries."""
    today = today or timezone.localdate()
    year = period.last_day.year
    units = list(
        units_filing_plans()
        .filter(scope.q("region"))
        .select_related(None)
        .select_related("region")
        .only("pk", "name", "kind", "region__name", "region__code")
    )
    figures = _units_counted(unit_ids=[u.pk for u in units], period=period)
    share = expected_share(period=period)
    # Labels translated once: get_kind_display() rebuilds and hashes every
    # lazy choice label on each call, which cost more than the queries.
    kind_labels = {kind: str(label) for kind, label in BuyerOrganisation.Kind.choices}
    by_kind: dict[str, list] = {}
    for unit in units:
        by_kind.setdefault(unit.kind, []).append(unit)
    rows: list[UnitRow] = []
    missed: list[UnitRow] = []
    filing_closed = not plan_filing_is_open(year=year, today=today)
    for kind in sorted(by_kind):
        ranked = sorted(
            by_kind[kind],
            key=lambda u: (-(figures[u.pk].percent or Decimal(-1)), -figures[u.pk].counted, u.pk),
        )
        for rank, unit in enumerate(ranked, start=1):
            unit_figures = figures[unit.pk]
            row = UnitRow(
                unit_id=unit.pk,
                name=unit.name,
                kind=unit.kind,
                kind_label=kind_labels.get(unit.kind, unit.kind),
                region_name=unit.region.name,
                target=unit_figures.target,
                counted=unit_figures.counted,
                expected=(unit_figures.target * share).quantize(
                    Decimal("0.01"), rounding=ROUND_HALF_UP
                ),
                percent=unit_figures.percent,
                rank_in_kind=rank,
                units_of_kind=len(ranked),
            )
            rows.append(row)
            if filing_closed and not unit_figures.filed:
                missed.append(row)
    return BuyerFigures(
        year=year,
        expected_share=share,
        units=rows,
        missed_filing=missed,
        target=sum((r.target for r in rows), ZERO),
        counted=sum((r.counted for r in rows), ZERO),
    )


def _units_counted(*, unit_ids: list[int], period: Period) -> dict:
    """``units_progress_figures`` of the units counted from 1 January to the
    period's last day."""
    return units_progress_figures(
        year=period.last_day.year,
        unit_ids=unit_ids,
        until=period.last_day,
        with_pending=False,
    )


def buyers_counted_total(*, scope: RegionScope, period: Period) -> Decimal:
    """What the units of the scope counted from 1 January to the period's end
    (``buyer_figures(...).counted`` without its per-unit rows and rankings):
    the headline figure compared across periods. Four queries."""
    unit_ids = list(units_filing_plans().filter(scope.q("region")).values_list("pk", flat=True))
    figures = _units_counted(unit_ids=unit_ids, period=period)
    return sum((row.counted for row in figures.values()), ZERO)


# --- money to places ----------------------------------------------------------------

CHANNELS = ("consumer", "agency", "off_platform", "helped")


@dataclass
class ChannelAmounts:
    """Money reaching a place in a period, by channel: consumer orders paid,
    agency contracts accepted (goods, not freight), off-platform purchases
    verified, and SOE helped sales (帮助销售额, kept apart from purchases)."""

    consumer: Decimal = ZERO
    agency: Decimal = ZERO
    off_platform: Decimal = ZERO
    helped: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.consumer + self.agency + self.off_platform + self.helped

    def add(self, other: "ChannelAmounts") -> None:
        for channel in CHANNELS:
            setattr(self, channel, getattr(self, channel) + getattr(other, channel))


@dataclass
class PlaceRow:
    region_id: int
    code: str
    name: str
    level: str
    is_key_assistance_county: bool
    amounts: ChannelAmounts = field(default_factory=ChannelAmounts)


@dataclass
class PlaceFigures:
    """Money reaching the places of the scope (by the origin county of what
    was bought): one row per child of the region looked at (provinces for the
    whole country, cities or districts of a province, counties of a city),
    totals, and the share reaching key-assistance counties."""

    rows: list[PlaceRow]
    totals: ChannelAmounts
    key_county_total: Decimal
    # Every county with money under the region looked at, whatever the level
    # of ``rows``: what the map of a province or city colours.
    counties: list[PlaceRow] = field(default_factory=list)

    @property
    def key_county_share(self) -> Decimal | None:
        return _percent(self.key_county_total, self.totals.total)


_ORIGIN = Coalesce("product__origin_county", "product__parent__origin_county")


def _channel_sources(*, first: datetime.date, last: datetime.date):
    """Each channel's rows for the days ``first``..``last`` (Asia/Shanghai):
    (channel, queryset annotated with ``origin_key``, amount, day field) —
    the one home of what each channel counts and on which day."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    start = datetime.datetime.combine(first, datetime.time.min, zone)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, zone)
    lines = Line.objects.filter(
        order__status__in=SOLD_ORDER_STATUSES,
        order__date_placed__gte=start,
        order__date_placed__lt=end,
    ).annotate(origin_key=_ORIGIN)
    contract_lines = ContractLine.objects.filter(
        contract__status__in=COUNTED_CONTRACT_STATUSES,
        contract__accepted_on__gte=first,
        contract__accepted_on__lte=last,
        accepted_quantity__isnull=False,
    ).annotate(origin_key=_ORIGIN)
    off_platform = (
        OffPlatformPurchase.objects.filter(
            status=VerificationStatus.VERIFIED, purchased_on__gte=first, purchased_on__lte=last
        )
        .exclude(corrections__status=VerificationStatus.VERIFIED)
        .annotate(origin_key=F("origin_county_id"))
    )
    helped = HelpedSale.objects.filter(sold_on__gte=first, sold_on__lte=last).annotate(
        origin_key=F("producer__county_id")
    )
    return (
        ("consumer", lines, F("line_price_incl_tax"), "order__date_placed"),
        (
            "agency",
            contract_lines,
            ExpressionWrapper(F("accepted_quantity") * F("unit_price"), output_field=MONEY),
            "contract__accepted_on",
        ),
        ("off_platform", off_platform, F("amount"), "purchased_on"),
        ("helped", helped, F("amount"), "sold_on"),
    )


def _in_scope(queryset, scope: RegionScope):
    """Rows whose origin county lies in the scope."""
    if scope.national:
        return queryset
    return queryset.filter(
        origin_key__in=Region.objects.counties().filter(scope.regions_q()).values("pk")
    )


def _by_county(period: Period, scope: RegionScope) -> dict[int, ChannelAmounts]:
    """{origin county id: ChannelAmounts} for the period: one statement, the
    four channels' grouped queries joined by UNION ALL, each row tagged with
    its channel's position in the sources."""
    found: dict[int, ChannelAmounts] = {}
    sources = _channel_sources(first=period.first_day, last=period.last_day)
    grouped = [
        _in_scope(queryset, scope)
        .annotate(source_index=Value(index, output_field=IntegerField()))
        .values("source_index", "origin_key")
        .annotate(total=_sum(amount))
        .values_list("source_index", "origin_key", "total")
        .order_by()
        for index, (_channel, queryset, amount, _day) in enumerate(sources)
    ]
    for index, county_id, total in grouped[0].union(*grouped[1:], all=True):
        if county_id is not None:
            amounts = found.setdefault(county_id, ChannelAmounts())
            channel = sources[index][0]
            setattr(amounts, channel, getattr(amounts, channel) + total)
    return found


def money_to_places(
    *, scope: RegionScope, period: Period, region: Region | None = None
) -> PlaceFigures:
    """Money reaching the places under ``region`` (None: the whole scope) in
    the period, by channel, rolled up from counties to the children of
    ``region``: provinces, then cities (a municipality's districts), then
    counties; without ``region``, an office's own regions. Two queries."""
    by_county = _by_county(period, scope)
    counties = {
        c.pk: c
        for c in Region.objects.filter(pk__in=list(by_county)).select_related("parent__parent")
    }
    rows: dict[int, PlaceRow] = {}
    county_rows: list[PlaceRow] = []
    totals, key_total = ChannelAmounts(), ZERO
    for county_id, amounts in by_county.items():
        county = counties[county_id]
        chain = county.ancestors_and_self()
        if region is not None:
            if region not in chain:
                continue
            depth = chain.index(region) + 1
            if depth >= len(chain):
                depth = len(chain) - 1
        elif scope.national:
            depth = 0
        else:
            # An office with several regions looks at each of them, not at the
            # provinces above them, which it may not open.
            depth = next(i for i, node in enumerate(chain) if node.pk in scope.root_ids)
        place = chain[depth]
        row = rows.get(place.pk)
        if row is None:
            row = rows[place.pk] = PlaceRow(
                region_id=place.pk,
                code=place.code,
                name=place.name,
                level=place.level,
                is_key_assistance_county=place.is_key_assistance_county,
            )
        row.amounts.add(amounts)
        totals.add(amounts)
        if county.is_key_assistance_county:
            key_total += amounts.total
        county_rows.append(
            PlaceRow(
                region_id=county.pk,
                code=county.code,
                name=county.name,
                level=county.level,
                is_key_assistance_county=county.is_key_assistance_county,
                amounts=ChannelAmounts(**{c: getattr(amounts, c) for c in CHANNELS}),
            )
        )
    return PlaceFigures(
        rows=sorted(rows.values(), key=lambda r: (-r.amounts.total, r.code)),
        totals=totals,
        key_county_total=key_total,
        counties=sorted(county_rows, key=lambda r: (-r.amounts.total, r.code)),
    )


def money_total(*, scope: RegionScope, period: Period) -> ChannelAmounts:
    """The scope's money by channel in the period (compared across periods):
    ``money_to_places(...).totals`` without placing the counties. One query."""
    totals = ChannelAmounts()
    for amounts in _by_county(period, scope).values():
        totals.add(amounts)
    return totals


@dataclass
class ProducerRow:
    producer_id: int
    name: str
    county_name: str
    amounts: ChannelAmounts = field(default_factory=ChannelAmounts)


def money_to_producers(*, county: Region, period: Period) -> list[ProducerRow]:
    """The drill-down below a county: each producer of the county with what it
    sold in the period, by channel (off-platform purchases name no producer on
    the platform, so they stay on the county's row). Four queries."""
    start, end = period.bounds()
    first, last = period.first_day, period.last_day
    producers = {
        p.pk: ProducerRow(producer_id=p.pk, name=p.partner.name, county_name=county.name)
        for p in Producer.objects.filter(county=county).select_related("partner")
    }
    by_partner = {
        pid: row_id
        for row_id, pid in Producer.objects.filter(county=county).values_list("pk", "partner_id")
    }
    for partner_id, total in (
        Line.objects.filter(
            partner_id__in=list(by_partner),
            order__status__in=SOLD_ORDER_STATUSES,
            order__date_placed__gte=start,
            order__date_placed__lt=end,
        )
        .values("partner_id")
        .annotate(total=_sum("line_price_incl_tax"))
        .values_list("partner_id", "total")
        .order_by()
    ):
        producers[by_partner[partner_id]].amounts.consumer += total
    for producer_id, total in (
        ContractLine.objects.filter(
            contract__producer__county=county,
            contract__status__in=COUNTED_CONTRACT_STATUSES,
            contract__accepted_on__gte=first,
            contract__accepted_on__lte=last,
            accepted_quantity__isnull=False,
        )
        .values("contract__producer_id")
        .annotate(
            total=_sum(
                ExpressionWrapper(F("accepted_quantity") * F("unit_price"), output_field=MONEY)
            )
        )
        .values_list("contract__producer_id", "total")
        .order_by()
    ):
        producers[producer_id].amounts.agency += total
    for producer_id, total in (
        HelpedSale.objects.filter(producer__county=county, sold_on__gte=first, sold_on__lte=last)
        .values("producer_id")
        .annotate(total=_sum("amount"))
        .values_list("producer_id", "total")
        .order_by()
    ):
        producers[producer_id].amounts.helped += total
    return sorted(producers.values(), key=lambda r: (-r.amounts.total, r.name))


# --- households -------------------------------------------------------------------


@dataclass(frozen=True)
class HouseholdFigures:
    """Formerly poor households reached in the period's year, from verified
    benefit linkage only (an unverified figure is the producer's word), by
    mechanism. A household may be reached several ways, so ``total`` is the
    producers' declared de-duplicated totals, not the mechanisms' sum."""

    year: int
    producers: int
    total: int
    employment: int
    asset_income: int
    purchase: int
    employment_amount: Decimal
    asset_income_amount: Decimal
    purchase_amount: Decimal


def household_figures(*, scope: RegionScope, period: Period) -> HouseholdFigures:
    """Verified benefit linkage of the producers in the scope (by the
    producer's county) for the year the period ends in. One query."""
    year = period.last_day.year
    row = BenefitLinkage.objects.filter(
        scope.q("producer__county"), is_verified=True, year=year
    ).aggregate(
        producers=Count("pk"),
        total=Coalesce(Sum("total_households"), 0),
        employment=Coalesce(Sum("employment_households"), 0),
        asset_income=Coalesce(Sum("asset_income_households"), 0),
        purchase=Coalesce(Sum("purchase_households"), 0),
        employment_amount=_sum("employment_amount"),
        asset_income_amount=_sum("asset_income_amount"),
        purchase_amount=_sum("purchase_amount"),
    )
    return HouseholdFigures(year=year, **row)


# --- payment discipline ----------------------------------------------------------------


@dataclass(frozen=True)
class OverdueRow:
    contract_id: int
    number: str
    unit_name: str
    producer_name: str
    due_date: datetime.date
    days_overdue: int
    owed: Decimal
    interest: Decimal


@dataclass(frozen=True)
class PaymentDelayRow:
    unit_id: int
    unit_name: str
    contracts: int
    average_days: Decimal  # from acceptance to the last payment


@dataclass(frozen=True)
class PaymentFigures:
    on: datetime.date
    overdue: list[OverdueRow]
    settled_delays: list[PaymentDelayRow]  # slowest first

    @property
    def overdue_count(self) -> int:
        return len(self.overdue)

    @property
    def overdue_amount(self) -> Decimal:
        return sum((r.owed for r in self.overdue), ZERO)

    @property
    def interest_owed(self) -> Decimal:
        return sum((r.interest for r in self.overdue), ZERO)

    @property
    def average_days(self) -> Decimal | None:
        count = sum(r.contracts for r in self.settled_delays)
        if not count:
            return None
        total = sum(r.average_days * r.contracts for r in self.settled_delays)
        return (total / count).quantize(PERCENT, rounding=ROUND_HALF_UP)


def payment_figures(
    *, scope: RegionScope, period: Period, today: datetime.date | None = None
) -> PaymentFigures:
    """Payment discipline of the units in the scope (by the paying unit's region):

    - contracts overdue (``contracts_overdue_q``) at the period's end, or today
      if that is earlier, with what is owed and the late interest to that day,
      both computed in SQL (``contracts_with_late_interest``, the query form of
      ``contract_late_interest``);
    - for contracts settled within the period (their last payment falls in
      it), the average days from acceptance to that payment, per unit.

    Two queries."""
    today = today or timezone.localdate()
    on = min(period.last_day, today)
    overdue_rows = (
        contracts_with_late_interest(
            Contract.objects.filter(scope.q("organisation__region"), contracts_overdue_q(on=on)),
            on=on,
        )
        .annotate(
            owed=ExpressionWrapper(
                F("accepted_amount") + F("freight") - F("paid_until"), output_field=MONEY
            )
        )
        .order_by("due_date", "pk")
        .values_list(
            "pk",
            "number",
            "organisation__name",
            "producer__partner__name",
            "due_date",
            "owed",
            "late_interest_exact",
        )
    )
    overdue = [
        OverdueRow(
            contract_id=pk,
            number=number,
            unit_name=unit_name,
            producer_name=producer_name,
            due_date=due_date,
            days_overdue=(on - due_date).days,
            # Both read back through money(): SQLite computes in floating point.
            owed=money(owed),
            interest=money(interest),
        )
        for pk, number, unit_name, producer_name, due_date, owed, interest in overdue_rows
    ]
    # A contract's last payment is the one no later payment follows (ties on
    # the day broken by id): an anti-join the database answers in one pass,
    # where a subquery per contract cost a plan per row.
    later_payment = Payment.objects.filter(contract=OuterRef("contract")).filter(
        Q(paid_on__gt=OuterRef("paid_on")) | Q(paid_on=OuterRef("paid_on"), pk__gt=OuterRef("pk"))
    )
    settled = (
        Payment.objects.filter(
            scope.q("contract__organisation__region"),
            paid_on__gte=period.first_day,
            paid_on__lte=period.last_day,
            contract__status=ContractStatus.SETTLED,
        )
        .filter(~Exists(later_payment))
        .values("contract__organisation_id", "contract__organisation__name")
        .annotate(
            contracts=Count("pk"),
            delay=Avg(
                ExpressionWrapper(
                    F("paid_on") - F("contract__accepted_on"), output_field=DurationField()
                )
            ),
        )
        .values_list(
            "contract__organisation_id", "contract__organisation__name", "contracts", "delay"
        )
        .order_by()
    )
    delays = [
        PaymentDelayRow(
            unit_id=unit_id,
            unit_name=unit_name,
            contracts=contracts,
            average_days=(Decimal(delay.total_seconds()) / 86400).quantize(
                PERCENT, rounding=ROUND_HALF_UP
            ),
        )
        for unit_id, unit_name, contracts, delay in settled
    ]
    return PaymentFigures(
        on=on,
        overdue=overdue,
        settled_delays=sorted(delays, key=lambda r: (-r.average_days, r.unit_name)),
    )


def units_in_scope(*, scope: RegionScope):
    """Units of the scope, for pages that list or look one up (404 outside)."""
    return BuyerOrganisation.objects.filter(scope.q("region"))


# --- trends -----------------------------------------------------------------------

TREND_LENGTH = 12


@dataclass(frozen=True)
class TrendPoint:
    """Money reaching the scope's places in one period of a trend, beside the
    same period a year earlier."""

    period: Period
    amounts: ChannelAmounts
    last_year: ChannelAmounts


def money_trend(
    *, scope: RegionScope, period: Period, length: int = TREND_LENGTH
) -> list[TrendPoint]:
    """The ``length`` periods of ``period``'s kind ending with it (12 months,
    weeks, quarters …), oldest first, each with its money by channel and the
    same period last year's: the same channels and counting days as
    ``money_to_places``. One grouped query per channel over the whole span,
    grouped by week (weekly trends) or month, folded into periods here."""
    periods = [period]
    while len(periods) < length:
        periods.insert(0, periods[0].previous())
    first = periods[0].same_last_year().first_day
    trunc = TruncWeek if period.kind == PeriodKind.WEEK else TruncMonth
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    found: dict[Period, ChannelAmounts] = {}
    sources = _channel_sources(first=first, last=period.last_day)
    for channel, queryset, amount, day in sources:
        bucket = trunc(day, tzinfo=zone) if day == "order__date_placed" else trunc(day)
        for start, total in (
            _in_scope(queryset, scope)
            .annotate(bucket=bucket)
            .values("bucket")
            .annotate(total=_sum(amount))
            .values_list("bucket", "total")
            .order_by()
        ):
            if isinstance(start, datetime.datetime):
                start = start.astimezone(zone).date()
            amounts = found.setdefault(period_containing(start, period.kind), ChannelAmounts())
            setattr(amounts, channel, getattr(amounts, channel) + total)
    return [
        TrendPoint(
            period=p,
            amounts=found.get(p, ChannelAmounts()),
            last_year=found.get(p.same_last_year(), ChannelAmounts()),
        )
        for p in periods
    ]


# --- pairings ---------------------------------------------------------------------


@dataclass(frozen=True)
class PairingRow:
    pairing_id: int
    name: str
    kind_label: str
    helper_name: str
    counties: list[str]
    contracts: Decimal  # agency contracts accepted in the period
    off_platform: Decimal  # verified off-platform purchases in the period

    @property
    def total(self) -> Decimal:
        return self.contracts + self.off_platform


def pairings_in_scope(*, scope: RegionScope, period: Period) -> list[PairingRow]:
    """The pairings in force during the period that concern the scope — a
    helped county in it, or the helper (its unit's region, or the helper
    region) in it — each with its helper side's purchases from its helped
    counties in the period (``procurement.pairings.pairing_purchases``: only
    within the pairing's own dates), reported on their own, largest first.
    Five queries."""
    first, last = period.first_day, period.last_day
    pairings = pairings_listed().filter(
        Q(starts_on__lte=last) & (Q(ends_on__isnull=True) | Q(ends_on__gte=first))
    )
    if not scope.national:
        concerned = Pairing.objects.filter(
            Q(helped_counties__in=Region.objects.counties().filter(scope.regions_q()))
            | (scope.q("helper_unit__region") & Q(helper_unit__isnull=False))
            | (scope.q("helper_region") & Q(helper_region__isnull=False))
        )
        pairings = pairings.filter(pk__in=concerned.values("pk"))
    pairings = list(pairings)
    figures = pairing_purchases(pairings=pairings, date_from=first, date_to=last)
    rows = [
        PairingRow(
            pairing_id=pairing.pk,
            name=pairing.name,
            kind_label=str(pairing.get_kind_display()),
            helper_name=(
                pairing.helper_unit.name if pairing.helper_unit_id else pairing.helper_region.name
            ),
            counties=[c.name for c in sorted(pairing.helped_counties.all(), key=lambda c: c.code)],
            contracts=figures[pairing.pk].contracts,
            off_platform=figures[pairing.pk].off_platform,
        )
        for pairing in pairings
    ]
    return sorted(rows, key=lambda r: (-r.total, r.name, r.pairing_id))
