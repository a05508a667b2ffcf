import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth, Greatest, Least
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.models import Product
from catalogue.rules import price_is_flagged, price_percent_above
from catalogue.selectors import price_watch_listings, with_reference_prices
from common.expressions import DaysBetween
from procurement.models import (
    COUNTED_CONTRACT_STATUSES,
    USCC_HOLDING_STATUSES,
    AmendmentStatus,
    AnnualPlan,
    BuyerOrganisation,
    CancellationStatus,
    Contract,
    ContractAmendment,
    ContractCancellation,
    ContractLine,
    ContractRefund,
    ContractStatus,
    HelpedSale,
    Membership,
    OffPlatformPurchase,
    Payment,
    PriceBreak,
    PurchaseOrder,
    PurchaseOrderLine,
    ReserveRatioRule,
    UsccContest,
    VerificationStatus,
    money,
)
from procurement.rules import (
    CANCELLABLE_CONTRACT_STATUSES,
    contracts_overdue_q,
    contracts_pending_q,
    counting_unit_of,
    purchases_shown_for_q,
)
from producers.selectors import producers_managed_by

StockRecord = get_model("partner", "StockRecord")

Role = Membership.Role
ZERO = Decimal("0.00")
# A parent unit's members with these roles see (read only) the units below it.
SUPERVISING_ROLES = (Role.ADMIN, Role.FINANCE)


def _sum(field_name: str):
    return Coalesce(
        Sum(field_name), Value(ZERO), output_field=DecimalField(max_digits=14, decimal_places=2)
    )


# --- who may see and do what -------------------------------------------------


def membership_roles(*, user, organisation: BuyerOrganisation) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, organisation=organisation).values_list(
            "role", flat=True
        )
    )


def _descendant_ids(root_ids: Iterable[int]) -> set[int]:
    """Units below the given ones; one query per level of the (shallow) tree."""
    found, frontier = set(), set(root_ids)
    while frontier:
        children = set(
            BuyerOrganisation.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        frontier = children - found
        found |= children
    return found


def organisation_ids_visible_to(*, user) -> set[int]:
    """Own units, plus every unit below a unit where the user supervises."""
    if not user.is_authenticated:
        return set()
    rows = list(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
    own = {org_id for org_id, _role in rows}
    supervised = {org_id for org_id, role in rows if role in SUPERVISING_ROLES}
    return own | _descendant_ids(supervised)


def uscc_holder(*, uscc: str) -> BuyerOrganisation | None:
    """The unit or pending application that holds this credit code now, if any."""
    return (
        BuyerOrganisation.objects.filter(uscc=uscc, status__in=USCC_HOLDING_STATUSES)
        .order_by("pk")
        .first()
    )


def uscc_history(*, usccs: Iterable[str]) -> dict[str, list[BuyerOrganisation]]:
    """Every unit and application ever filed under these codes, oldest first."""
    history: dict[str, list[BuyerOrganisation]] = {}
    for organisation in (
        BuyerOrganisation.objects.filter(uscc__in=set(usccs))
        .select_related("applicant")
        .order_by("created_at", "pk")
    ):
        history.setdefault(organisation.uscc, []).append(organisation)
    return history


def uscc_contests_open() -> QuerySet[UsccContest]:
    return UsccContest.objects.filter(status=UsccContest.Status.OPEN).select_related(
        "holder__region__parent__parent", "holder__applicant", "claimant"
    )


def uscc_contests_resolved() -> QuerySet[UsccContest]:
    return (
        UsccContest.objects.exclude(status=UsccContest.Status.OPEN)
        .select_related("holder", "claimant", "resolved_by")
        .order_by("-resolved_at", "-pk")
    )


def uscc_contests_of(*, user) -> QuerySet[UsccContest]:
    return UsccContest.objects.filter(claimant=user).order_by("-created_at", "-pk")


def organisations_visible_to(*, user) -> QuerySet[BuyerOrganisation]:
    if user.is_authenticated and user.is_staff:
        return BuyerOrganisation.objects.select_related("region", "parent", "union_of")
    return BuyerOrganisation.objects.filter(
        pk__in=organisation_ids_visible_to(user=user)
    ).select_related("region", "parent", "union_of")


def orders_visible_to(*, user) -> QuerySet[PurchaseOrder]:
    orgs = organisations_visible_to(user=user)
    return PurchaseOrder.objects.filter(organisation__in=orgs).select_related(
        "organisation", "purchaser", "approver"
    )


def contracts_visible_to_buyer(*, user) -> QuerySet[Contract]:
    orgs = organisations_visible_to(user=user)
    return Contract.objects.filter(organisation__in=orgs).select_related(
        "organisation", "producer__partner", "order__purchaser"
    )


def contracts_of_producer_user(*, user) -> QuerySet[Contract]:
    """Contracts of the producers the user manages; nothing of anyone else."""
    return Contract.objects.filter(producer__in=producers_managed_by(user=user)).select_related(
        "organisation", "producer__partner", "order__purchaser"
    )


def contract_for_party(*, user, pk: int) -> Contract | None:
    """The contract if the user is on its buyer or producer side; None otherwise."""
    for queryset in (contracts_visible_to_buyer(user=user), contracts_of_producer_user(user=user)):
        contract = queryset.filter(pk=pk).first()
        if contract is not None:
            return contract
    return None


def contract_pending_amendment(*, contract: Contract) -> ContractAmendment | None:
    """The change to ``contract`` waiting for the buyer's purchaser, if any (at
    most one: constraint ``contract_amendment_one_pending``)."""
    return (
        contract.amendments.filter(status=AmendmentStatus.PENDING)
        .select_related("proposed_by")
        .first()
    )


def contract_pending_cancellation(*, contract: Contract) -> ContractCancellation | None:
    """The proposal to end ``contract`` by agreement that waits for an answer, if
    any (at most one: constraint ``contract_cancellation_one_pending``). Only a
    contract that may be cancelled can have one (nothing ships while it waits,
    and agreeing ends it), so other contracts cost no query."""
    if contract.status not in CANCELLABLE_CONTRACT_STATUSES:
        return None
    return (
        contract.cancellations.filter(status=CancellationStatus.PENDING)
        .select_related("proposed_by")
        .first()
    )


def off_platform_awaiting_verification() -> QuerySet[OffPlatformPurchase]:
    return OffPlatformPurchase.objects.filter(status=VerificationStatus.PENDING).select_related(
        "organisation", "origin_county__parent__parent", "corrects", "recorded_by"
    )


# --- plans ---------------------------------------------------------------------


def reserve_ratio_rules() -> QuerySet[ReserveRatioRule]:
    """Every rule, newest year first, the national rule before the provinces'."""
    return ReserveRatioRule.objects.select_related("province").order_by(
        "-year", F("province__code").asc(nulls_first=True)
    )


def reserve_ratio_minimum(*, year: int, region) -> Decimal:
    """The province's rule for the year, else the national rule, else the setting."""
    province = region.province if region is not None else None
    minimum = (
        ReserveRatioRule.objects.filter(year=year)
        .filter(Q(province__isnull=True) | Q(province=province))
        # The most specific rule wins: the province's row, then the national one
        # (province NULL). Said explicitly: SQLite, unlike PostgreSQL, sorts
        # NULLs first by default.
        .order_by(F("province").asc(nulls_last=True))
        .values_list("minimum_ratio", flat=True)
        .first()
    )
    if minimum is not None:
        return minimum
    return settings.PROCUREMENT_DEFAULT_RESERVE_RATIO


def plan_filing_deadline(*, year: int) -> datetime.date:
    month, day = settings.PROCUREMENT_PLAN_FILING_DEADLINE
    return datetime.date(year, month, day)


def plan_filing_is_open(*, year: int, today: datetime.date | None = None) -> bool:
    """Whether the year's plan may still be filed or revised (until its deadline)."""
    return (today or timezone.localdate()) <= plan_filing_deadline(year=year)


def plan_of(*, organisation: BuyerOrganisation, year: int) -> AnnualPlan | None:
    return (
        AnnualPlan.objects.filter(organisation=organisation, year=year)
        .select_related("represented_by")
        .first()
    )


def plan_revisions(*, plan: AnnualPlan):
    return plan.revisions.select_related("actor", "represented_by").order_by("-number")


# --- prices --------------------------------------------------------------------


def unit_price_for_quantity(*, stockrecord, quantity: int) -> tuple[Decimal, int | None]:
    """The unit price for ``quantity`` and the price break it comes from (its
    minimum quantity; None for the retail price). A break applies only while it
    is below the current retail price: when a producer lowers the price, higher
    breaks stop applying at once."""
    best = (
        PriceBreak.objects.filter(
            stockrecord=stockrecord, min_quantity__lte=quantity, unit_price__lt=stockrecord.price
        )
        .order_by("-min_quantity")
        .values_list("unit_price", "min_quantity")
        .first()
    )
    if best is None:
        return money(stockrecord.price), None
    return money(best[0]), best[1]


def orderable_stockrecords(*, query: str = "") -> QuerySet:
    """Public products with stock from a producer, for building bulk orders."""
    records = (
        StockRecord.objects.filter(
            product__in=Product.objects.visible_to_public(),
            product__producer__isnull=False,
            price__isnull=False,
        )
        .select_related("product__producer__partner", "product__origin_county__parent__parent")
        .prefetch_related("price_breaks", "product__images", "product__certificates")
        .order_by("product__title", "pk")
    )
    if query:
        records = records.filter(
            Q(product__title__icontains=query)
            | Q(product__producer__partner__name__icontains=query)
        )
    return records


@dataclass
class OrderLineFigures:
    line: PurchaseOrderLine
    unit_price: Decimal
    amount: Decimal
    available: int

    @property
    def short(self) -> bool:
        """More ordered than the producer has available now."""
        return self.line.quantity > self.available


@dataclass
class OrderSummary:
    """What an approver weighs: each line's amount and stock, the total, and
    where the unit's target stands now and would stand once this is bought."""

    lines: list[OrderLineFigures]
    total: Decimal
    progress: "UnitProgress"

    @property
    def remaining_after(self) -> Decimal:
        return max(self.progress.remaining - self.progress.pending - self.total, ZERO)

    @property
    def short_lines(self) -> list[OrderLineFigures]:
        return [figures for figures in self.lines if figures.short]


def order_summary(*, order: PurchaseOrder, on: datetime.date | None = None) -> OrderSummary:
    """Line amounts at the locked price (or, for a draft, the price the quantity
    would lock now), stock available now, and the unit's progress this year."""
    on = on or timezone.localdate()
    figures = []
    for line in order.lines.select_related(
        "product__producer__partner", "product__origin_county", "stockrecord"
    ).order_by("pk"):
        unit_price = line.unit_price
        if unit_price is None:
            unit_price, _tier = unit_price_for_quantity(
                stockrecord=line.stockrecord, quantity=line.quantity
            )
        figures.append(
            OrderLineFigures(
                line=line,
                unit_price=unit_price,
                amount=money(unit_price * line.quantity),
                available=line.stockrecord.net_stock_level,
            )
        )
    return OrderSummary(
        lines=figures,
        total=sum((f.amount for f in figures), ZERO),
        progress=unit_progress(unit=order.organisation, year=on.year),
    )


def price_breaks_of_producer_user(*, user) -> QuerySet:
    return (
        StockRecord.objects.filter(product__producer__in=producers_managed_by(user=user))
        .select_related("product")
        .prefetch_related("price_breaks")
        .order_by("product__title")
    )


# --- settlement ------------------------------------------------------------------


def contract_paid_total(*, contract: Contract) -> Decimal:
    return contract.payments.aggregate(total=_sum("amount"))["total"]


def contract_refund(*, contract: Contract) -> ContractRefund | None:
    """What the producer owes back on an overpaid pay-first contract, if anything."""
    return ContractRefund.objects.filter(contract=contract).first()


def contract_invoiced_total(*, contract: Contract) -> Decimal:
    return contract.invoices.aggregate(total=_sum("amount"))["total"]


def contract_late_interest(
    *,
    contract: Contract,
    on: datetime.date | None = None,
    payments: list[tuple[datetime.date, Decimal]] | None = None,
) -> Decimal:
    """Interest on the unpaid balance for each day past the due date, up to ``on``.

    A payment stops interest on its amount from the day it is made. A caller
    that holds many contracts passes each one's ``payments`` as (paid_on,
    amount) in payment order, fetched for all of them at once; a list of
    many contracts uses the query form below, ``contracts_with_late_interest``.
    """
    on = on or timezone.localdate()
    if contract.due_date is None or on <= contract.due_date:
        return ZERO
    if payments is None:
        payments = list(
            contract.payments.order_by("paid_on", "pk").values_list("paid_on", "amount")
        )
    balance = contract.payable_amount
    interest = Decimal("0")
    counted_until = contract.due_date
    for paid_on, amount in payments:
        if paid_on > on:
            break
        if paid_on > counted_until:
            interest += (
                max(balance, ZERO) * contract.daily_interest_rate * (paid_on - counted_until).days
            )
            counted_until = paid_on
        balance -= amount
    interest += max(balance, ZERO) * contract.daily_interest_rate * (on - counted_until).days
    return money(interest)


# ``contract_late_interest`` as SQL, for lists of many contracts. Summed by day,
# the rule charges for each day from the day after the due date D to ``on`` the
# rate on what was still unpaid when the day began, never less than zero:
#     rate × Σ_day max(payable − paid before the day, 0)
#   = rate × (payable × (on − D) − Σ_payment counted × (on − max(paid_on, D)))
# where a payment counts only for the part of it the payable amount still
# needed (its amount, less whatever earlier payments already exceeded):
#     counted = min(amount, max(payable − paid before it, 0)).
# Payments before the due date lower the balance from the first day; payments
# after ``on`` do not count. tests/procurement/test_late_interest.py checks the
# two forms agree, case by case, on both databases.

INTEREST_EXACT = DecimalField(max_digits=30, decimal_places=12)


def contracts_with_late_interest(queryset: QuerySet[Contract], *, on: datetime.date) -> QuerySet:
    """``queryset`` with, on each contract, ``paid_until`` (what was paid by
    ``on``) and ``late_interest_exact``: ``contract_late_interest(on=on)``
    before its rounding, which the caller applies with ``money()`` (SQLite
    computes in floating point: rounding once, after reading, keeps a half
    cent the same on both databases)."""
    payable = F("accepted_amount") + F("freight")
    paid_before = (
        Payment.objects.filter(contract=OuterRef("contract"))
        .filter(
            Q(paid_on__lt=OuterRef("paid_on"))
            | Q(paid_on=OuterRef("paid_on"), pk__lt=OuterRef("pk"))
        )
        .values("contract")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    counted = Least(
        F("amount"),
        Greatest(
            OuterRef("accepted_amount")
            + OuterRef("freight")
            - Coalesce(Subquery(paid_before), Value(ZERO)),
            Value(ZERO),
        ),
    )
    until_on = Payment.objects.filter(contract=OuterRef("pk"), paid_on__lte=on)
    deducted = (
        until_on.values("contract")
        .annotate(
            total=Sum(
                counted * DaysBetween(Value(on), Greatest("paid_on", OuterRef("due_date"))),
                output_field=INTEREST_EXACT,
            )
        )
        .values("total")
    )
    return queryset.annotate(
        paid_until=Coalesce(
            Subquery(until_on.values("contract").annotate(total=Sum("amount")).values("total")),
            Value(ZERO),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        ),
        late_interest_exact=Case(
            When(
                due_date__lt=on,
                then=F("daily_interest_rate")
                * (
                    payable * DaysBetween(Value(on), F("due_date"))
                    - Coalesce(Subquery(deducted), Value(ZERO), output_field=INTEREST_EXACT)
                ),
            ),
            default=Value(ZERO),
            output_field=INTEREST_EXACT,
        ),
    )


# --- progress --------------------------------------------------------------------


@dataclass
class UnitProgress:
    year: int
    plan: AnnualPlan | None
    target: Decimal
    counted_contracts: Decimal
    counted_off_platform: Decimal
    pending: Decimal
    helped_sales: Decimal | None
    by_month: list[dict] = field(default_factory=list)

    @property
    def counted(self) -> Decimal:
        return self.counted_contracts + self.counted_off_platform

    @property
    def remaining(self) -> Decimal:
        return max(self.target - self.counted, ZERO)

    @property
    def percent(self) -> Decimal | None:
        if not self.target:
            return None
        return (self.counted * 100 / self.target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def bar_percent(self) -> int:
        return min(int(self.percent or 0), 100)


# One unit's page (unit_progress) and every overview of many units
# (units_progress_figures) share one definition of what counts in a year
# (_counted_contracts_q, _counted_off_platform_q), of whose purchases count toward
# whom (procurement.rules: counting_unit_of, shared_canteen_members,
# purchases_shown_for_q) and of what is pending (procurement.rules.contracts_pending_q).


def _counted_contracts_q(*, year: int, until: datetime.date | None = None) -> Q:
    """Contracts counted in ``year`` (up to ``until`` inside it): accepted or
    settled, accepted within the calendar year. Whose they count toward is
    ``purchases_shown_for_q`` (one unit) or ``units_progress_figures`` (many)."""
    return Q(
        status__in=COUNTED_CONTRACT_STATUSES,
        accepted_on__gte=datetime.date(year, 1, 1),
        accepted_on__lte=_year_end(year, until),
    )


def _counted_off_platform_q(*, year: int, until: datetime.date | None = None) -> Q:
    """Off-platform records counted in ``year`` (up to ``until``): verified,
    bought within the calendar year. Callers also exclude records a verified
    correction has replaced (``_without_replaced``)."""
    return Q(
        status=VerificationStatus.VERIFIED,
        purchased_on__gte=datetime.date(year, 1, 1),
        purchased_on__lte=_year_end(year, until),
    )


def _year_end(year: int, until: datetime.date | None) -> datetime.date:
    last = datetime.date(year, 12, 31)
    return last if until is None else min(until, last)


def _without_replaced(queryset: QuerySet[OffPlatformPurchase]) -> QuerySet[OffPlatformPurchase]:
    return queryset.exclude(corrections__status=VerificationStatus.VERIFIED)


def _counted_contracts(*, unit, year: int) -> QuerySet:
    """Accepted within the calendar year and counting toward the unit: its own,
    its trade unions' and its shared-canteen members'."""
    return Contract.objects.filter(
        purchases_shown_for_q(unit=unit, year=year),
        _counted_contracts_q(year=year),
    )


def unit_counted_contracts(*, unit, year: int) -> QuerySet:
    """The contracts ``unit_progress`` counts for the unit's year, for the
    annual filing report's contract list."""
    return _counted_contracts(unit=unit, year=year)


def _pending_contracts(*, unit, year: int) -> QuerySet:
    return Contract.objects.filter(
        purchases_shown_for_q(unit=unit, year=year),
        contracts_pending_q(year=year),
    )


def _counted_off_platform(*, unit, year: int) -> QuerySet:
    """Verified records in the year counting toward the unit, as contracts do,
    minus any that a verified correction has replaced."""
    return _without_replaced(
        OffPlatformPurchase.objects.alias(counting_unit=counting_unit_of("organisation")).filter(
            purchases_shown_for_q(unit=unit, year=year),
            _counted_off_platform_q(year=year),
        )
    )


def unit_progress(*, unit: BuyerOrganisation, year: int) -> UnitProgress:
    """Target, counted (accepted in the year, at the accepted amount, union and
    shared-canteen purchases included), pending and month-by-month figures, all
    from SQL."""
    plan = plan_of(organisation=unit, year=year)
    counted_contracts = _counted_contracts(unit=unit, year=year)
    off_platform = _counted_off_platform(unit=unit, year=year)
    totals = counted_contracts.aggregate(total=_sum("accepted_amount"))
    off_totals = off_platform.aggregate(total=_sum("amount"))
    pending = _pending_contracts(unit=unit, year=year).aggregate(total=_sum("goods_amount"))[
        "total"
    ]

    months = {m: ZERO for m in range(1, 13)}
    for row in (
        counted_contracts.annotate(month=ExtractMonth("accepted_on"))
        .values("month")
        .annotate(total=_sum("accepted_amount"))
        .order_by()
    ):
        months[row["month"]] += row["total"]
    for row in (
        off_platform.annotate(month=ExtractMonth("purchased_on"))
        .values("month")
        .annotate(total=_sum("amount"))
        .order_by()
    ):
        months[row["month"]] += row["total"]

    helped = None
    if unit.kind == BuyerOrganisation.Kind.SOE:
        helped = HelpedSale.objects.filter(organisation=unit, sold_on__year=year).aggregate(
            total=_sum("amount")
        )["total"]

    progress = UnitProgress(
        year=year,
        plan=plan,
        target=plan.target_amount if plan else ZERO,
        counted_contracts=totals["total"],
        counted_off_platform=off_totals["total"],
        pending=pending,
        helped_sales=helped,
    )
    peak = max(months.values()) or Decimal("1")
    cumulative = ZERO
    for month, amount in months.items():
        cumulative += amount
        progress.by_month.append(
            {
                "month": month,
                "amount": amount,
                "cumulative": cumulative,
                "bar": int(amount * 100 / peak),
            }
        )
    return progress


@dataclass
class UnitActions:
    orders_to_approve: list
    contracts_to_accept: list
    contracts_to_pay: list
    contracts_overdue: list


ACTION_LIST_LIMIT = 20


def unit_actions(*, unit: BuyerOrganisation, on: datetime.date | None = None) -> UnitActions:
    """What needs doing, a bounded list of each (the full lists are one click away)."""
    on = on or timezone.localdate()
    contracts = Contract.objects.filter(organisation=unit).select_related("producer__partner")
    return UnitActions(
        orders_to_approve=list(
            PurchaseOrder.objects.filter(organisation=unit, status=PurchaseOrder.Status.SUBMITTED)
            .select_related("purchaser")
            .annotate(line_count=Count("lines"))[:ACTION_LIST_LIMIT]
        ),
        contracts_to_accept=list(
            contracts.filter(status=ContractStatus.SHIPPED).order_by("pk")[:ACTION_LIST_LIMIT]
        ),
        contracts_to_pay=list(
            contracts.filter(status=ContractStatus.ACCEPTED)
            .exclude(contracts_overdue_q(on=on))
            .order_by("due_date")[:ACTION_LIST_LIMIT]
        ),
        contracts_overdue=list(
            contracts.filter(contracts_overdue_q(on=on)).order_by("due_date")[:ACTION_LIST_LIMIT]
        ),
    )


@dataclass(frozen=True)
class ProgressFigures:
    """A unit's year in figures, as the staff overview and oversight rank them."""

    target: Decimal
    counted: Decimal
    pending: Decimal
    filed: bool  # whether the unit filed a plan for the year

    @property
    def percent(self) -> Decimal | None:
        if not self.target:
            return None
        return (self.counted * 100 / self.target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _grouped_sum(queryset: QuerySet, key, field_name: str, unit_ids) -> dict[int, Decimal]:
    """{counting unit id: SUM(field)} in one grouped query."""
    rows = queryset.annotate(unit_key=key)
    if unit_ids is not None:
        rows = rows.filter(unit_key__in=unit_ids)
    return dict(
        rows.values("unit_key").annotate(total=_sum(field_name)).values_list("unit_key", "total")
    )


def units_progress_figures(
    *,
    year: int,
    unit_ids: Iterable[int] | None = None,
    until: datetime.date | None = None,
    with_pending: bool = True,
) -> dict[int, ProgressFigures]:
    """Target, counted and pending figures of many units at once (all units
    when ``unit_ids`` is None), counted up to ``until`` within the year: four
    grouped queries however many units, the same six counting rules as
    ``unit_progress``.

    Each purchase is grouped once by its counting unit (a contract's stored
    ``counting_unit``; for off-platform records the unit, or the unit its trade
    union belongs to). A shared-canteen member's plan names its representative,
    so each representative then adds its members' groups: a sum over units,
    not rows. This replaces per-unit correlated subqueries with
    ``counting_unit = unit OR counting_unit IN (members)``, which defeat the
    index and cost a query plan per unit (issue 14, item 9). Without
    ``with_pending`` pending stays 0 and the query is saved."""
    wanted = None if unit_ids is None else set(unit_ids)
    plans = AnnualPlan.objects.filter(year=year)
    if wanted is not None:
        plans = plans.filter(Q(organisation_id__in=wanted) | Q(represented_by_id__in=wanted))
    targets: dict[int, Decimal] = {}
    members: dict[int, list[int]] = {}
    for organisation_id, budget, ratio, representative_id in plans.values_list(
        "organisation_id", "canteen_budget", "reserve_ratio", "represented_by_id"
    ):
        targets[organisation_id] = money(budget * ratio)
        if representative_id is not None:
            members.setdefault(representative_id, []).append(organisation_id)
    groups = None
    if wanted is not None:
        groups = wanted | {m for rep in wanted for m in members.get(rep, ())}

    counted = _grouped_sum(
        Contract.objects.filter(_counted_contracts_q(year=year, until=until)),
        F("counting_unit_id"),
        "accepted_amount",
        groups,
    )
    off_platform = _grouped_sum(
        _without_replaced(
            OffPlatformPurchase.objects.filter(_counted_off_platform_q(year=year, until=until))
        ),
        counting_unit_of("organisation"),
        "amount",
        groups,
    )
    pending = (
        _grouped_sum(
            Contract.objects.filter(contracts_pending_q(year=year)),
            F("counting_unit_id"),
            "goods_amount",
            groups,
        )
        if with_pending
        else {}
    )

    def total(figures: dict[int, Decimal], unit_id: int) -> Decimal:
        own = figures.get(unit_id, ZERO)
        return own + sum((figures.get(m, ZERO) for m in members.get(unit_id, ())), ZERO)

    ids = (
        wanted
        if wanted is not None
        else set(targets) | set(counted) | set(off_platform) | set(pending)
    )
    return {
        unit_id: ProgressFigures(
            target=targets.get(unit_id, ZERO),
            counted=total(counted, unit_id) + total(off_platform, unit_id),
            pending=total(pending, unit_id),
            filed=unit_id in targets,
        )
        for unit_id in ids
    }


def units_filing_plans() -> QuerySet[BuyerOrganisation]:
    """The units the progress overview lists: active, and not trade unions
    (their purchases count toward the unit they belong to)."""
    return (
        BuyerOrganisation.objects.filter(status=BuyerOrganisation.Status.ACTIVE)
        .exclude(kind=BuyerOrganisation.Kind.UNION)
        .select_related("region", "parent")
        .order_by("region__code", "name")
    )


def units_progress_attach(units, *, year: int, until: datetime.date | None = None) -> list:
    """``units`` (a page of them) with ``target``, ``counted``, ``pending``,
    ``percent`` and ``filed`` set on each, from ``units_progress_figures``."""
    units = list(units)
    figures = units_progress_figures(year=year, unit_ids=[u.pk for u in units], until=until)
    for unit in units:
        row = figures[unit.pk]
        unit.target, unit.counted, unit.pending = row.target, row.counted, row.pending
        unit.percent, unit.filed = row.percent, row.filed
    return units


def units_progress_overview(*, year: int) -> list[BuyerOrganisation]:
    """Every unit that files plans with its figures for the year: five queries."""
    return units_progress_attach(units_filing_plans(), year=year)


# --- figures other apps show ---------------------------------------------------


def county_agency_sales(*, county) -> Decimal:
    """Agency purchases of products from ``county`` to date: the accepted amount
    of every accepted or settled contract line whose product (a variant: its
    parent) originates there. Freight is not a sale of the county's produce.
    Registered as ``common.figures.COUNTY_AGENCY_SALES`` for the county page."""
    return ContractLine.objects.filter(
        Q(product__origin_county=county) | Q(product__parent__origin_county=county),
        contract__status__in=COUNTED_CONTRACT_STATUSES,
        accepted_quantity__isnull=False,
    ).aggregate(
        total=Coalesce(
            Sum(
                ExpressionWrapper(
                    F("accepted_quantity") * F("unit_price"),
                    output_field=DecimalField(max_digits=14, decimal_places=2),
                )
            ),
            Value(ZERO),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
    )["total"]


# --- price watch at ordering ----------------------------------------------------


def order_lines_price_watch(*, summary: OrderSummary) -> None:
    """Sets ``reference`` (the applicable reference market price, or None),
    ``percent_above`` and ``price_flagged`` on each line of an order summary,
    comparing the unit price the line pays (a price break's where it applies)
    with the reference; one query for the lines, one for their references."""
    records = with_reference_prices(
        price_watch_listings(
            StockRecord.objects.filter(pk__in=[f.line.stockrecord_id for f in summary.lines])
        )
    )
    references = {record.pk: record.reference for record in records}
    for figures in summary.lines:
        figures.reference = references.get(figures.line.stockrecord_id)
        reference = figures.reference.price if figures.reference else None
        figures.percent_above = price_percent_above(figures.unit_price, reference)
        figures.price_flagged = price_is_flagged(figures.unit_price, reference)
