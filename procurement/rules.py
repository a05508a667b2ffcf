"""Procurement rules that several places need, each written once here.

Selectors, services, views and templates call these functions instead of
restating a rule. A rule that must also be answered in SQL has a per-object
form and a query form side by side, and tests/procurement/test_rules.py checks
that the two agree case by case.

The legal range of payment days is the exception: it sits in models.py
(PAYMENT_DAYS_MIN/MAX) because the contract constraint needs it while the
models load, and this module imports the models.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Coalesce

from common.validators import normalise_uscc
from procurement.exceptions import (
    ContractCancelPaid,
    ContractCancelState,
    ContractFreightNegative,
    ContractFreightOverLimit,
    PairingCountyNotCounty,
    PairingDatesReversed,
    PairingHelperNotOne,
    PairingHelperUnitNotFound,
    PairingNoCounties,
    PairingRegionNotFound,
    ProcurementError,
)
from procurement.models import (
    CENT,
    OPEN_CONTRACT_STATUSES,
    AnnualPlan,
    BuyerOrganisation,
    Contract,
    ContractStatus,
    PaymentTerms,
    PurchaseOrder,
)
from regions.models import Region

# --- overdue -------------------------------------------------------------------
# A contract is overdue on a day when it has been accepted (so money is owed),
# is not yet settled, and its due date is before that day.


def contracts_overdue_q(*, on: datetime.date) -> Q:
    """The overdue rule as a filter on contracts."""
    return Q(status=ContractStatus.ACCEPTED, due_date__lt=on)


def contract_is_overdue(*, contract: Contract, on: datetime.date) -> bool:
    """The overdue rule for one contract in hand, on the same fields as
    ``contracts_overdue_q``."""
    return (
        contract.status == ContractStatus.ACCEPTED
        and contract.due_date is not None
        and contract.due_date < on
    )


def contracts_with_overdue_flag(queryset: QuerySet[Contract], *, on: datetime.date):
    """``queryset`` with ``is_overdue`` on each row, for lists whose templates
    mark overdue contracts without restating the rule."""
    return queryset.annotate(
        is_overdue=ExpressionWrapper(contracts_overdue_q(on=on), output_field=BooleanField())
    )


# --- counting: whose purchases count toward a unit's year ----------------------
# Trade unions (工会): a union's purchases count toward the unit it belongs to.
# Contracts store the result at creation (Contract.counting_unit); rows without
# that field, such as off-platform purchases, apply it in SQL.


def counting_unit_id(organisation: BuyerOrganisation) -> int:
    """The unit whose totals the organisation's purchases count toward."""
    return organisation.union_of_id or organisation.pk


def counting_unit_of(path: str = "") -> Coalesce:
    """``counting_unit_id`` in SQL, for the organisation at ``path``: empty for
    BuyerOrganisation rows themselves, "organisation" for rows pointing at one."""
    if not path:
        return Coalesce(F("union_of"), F("pk"))
    return Coalesce(F(f"{path}__union_of"), F(path))


# Shared canteens (合用食堂): a unit whose plan for the year names a representative
# unit, which files for the shared canteen, counts its purchases toward that unit
# (its unions' purchases included, through their counting unit).


def shared_canteen_members(*, representative, year: int) -> QuerySet:
    """Ids of the units whose plan for ``year`` names ``representative``
    (an instance, id or OuterRef) as the unit that files for them."""
    return AnnualPlan.objects.filter(year=year, represented_by=representative).values(
        "organisation_id"
    )


def counts_toward_q(*, unit, year: int, field: str = "counting_unit", group_ref=None) -> Q:
    """Rows whose counting unit, at ``field``, makes them count toward ``unit``
    in ``year``: the unit's own and its shared-canteen members'.

    ``unit`` may be an OuterRef; ``group_ref`` is then the same unit seen one
    subquery deeper, as the shared-canteen lookup needs it.
    """
    members = shared_canteen_members(representative=group_ref or unit, year=year)
    # A unit in hand is compared by id: ``field`` may be a counting_unit_of()
    # alias, which holds ids rather than a relation.
    unit = unit.pk if isinstance(unit, BuyerOrganisation) else unit
    return Q(**{field: unit}) | Q(**{f"{field}__in": members})


def purchases_shown_for_q(*, unit, year: int, field: str = "counting_unit", group_ref=None) -> Q:
    """Whose purchases a unit's own figures show. A trade union's page shows the
    purchases it made itself (they also count toward the unit it belongs to);
    every other unit's page shows what counts toward it (``counts_toward_q``).
    Rows here are contracts and off-platform purchases, both with an
    ``organisation``."""
    if isinstance(unit, BuyerOrganisation) and unit.kind == BuyerOrganisation.Kind.UNION:
        return Q(organisation=unit)
    return counts_toward_q(unit=unit, year=year, field=field, group_ref=group_ref)


# --- pending (在途) --------------------------------------------------------------
# A contract is pending in a year's figures while it is open (awaiting the
# producer, confirmed or shipped) and was made by the end of that year: a
# contract made on 2027-01-12 is not on its way to 2026's target.


def contracts_pending_q(*, year: int) -> Q:
    return Q(status__in=OPEN_CONTRACT_STATUSES, created_at__date__lte=datetime.date(year, 12, 31))


# --- stock at submission ---------------------------------------------------------
# An order line asks for no more than the producer has available, unless the
# purchaser marks it a pre-order (预订): the producer then restocks before it can
# confirm the contract, whose confirmation allocates under the stock lock.


def order_line_within_stock(*, quantity: int, available: int, is_preorder: bool) -> bool:
    return is_preorder or quantity <= available


# --- payments ------------------------------------------------------------------
# Pay-first (先款后货) contracts take payments from the producer's confirmation on;
# goods-first (先货后款) ones only once accepted (验收). Neither once settled.

PAYABLE_STATUSES = {
    PaymentTerms.PAY_FIRST: frozenset(
        {ContractStatus.CONFIRMED, ContractStatus.SHIPPED, ContractStatus.ACCEPTED}
    ),
    PaymentTerms.GOODS_FIRST: frozenset({ContractStatus.ACCEPTED}),
}


def contract_may_record_payment(*, contract: Contract) -> bool:
    """Whether a payment may be recorded on the contract in its current state."""
    return contract.status in PAYABLE_STATUSES[PaymentTerms(contract.payment_terms)]


# --- cancellation by agreement (协议解除) ------------------------------------------
# A contract may be ended by agreement of both parties once the supplier has
# confirmed it (its stock is allocated) and before anything has happened that
# cannot simply be undone: no goods shipped, no money paid. A cancelled contract
# is neither pending nor counted (OPEN_ and COUNTED_CONTRACT_STATUSES leave it out).

CANCELLABLE_CONTRACT_STATUSES = frozenset({ContractStatus.CONFIRMED})


def contract_cancel_refusal(*, contract: Contract) -> ProcurementError | None:
    """Why ``contract`` may not be cancelled by agreement now, or None when it may.
    The contract workflow's cancellation steps start only from
    ``CANCELLABLE_CONTRACT_STATUSES`` and check this again when the other
    party agrees."""
    if contract.status not in CANCELLABLE_CONTRACT_STATUSES:
        return ContractCancelState()
    if contract.payments.exists():
        return ContractCancelPaid()
    return None


# --- freight -------------------------------------------------------------------
# Freight is the supplier's figure on top of the goods the buyer approved, so it
# is bounded twice: an absolute cap (PROCUREMENT_FREIGHT_MAX) and a share of the
# contract's goods (PROCUREMENT_FREIGHT_MAX_SHARE). Every freight figure goes
# through freight_check: the proposal form, the proposal and the acceptance.


def freight_limit_for(*, contract: Contract) -> Decimal:
    """The most freight ``contract`` may carry, in yuan (rounded down to the fen)."""
    share = (contract.goods_amount * settings.PROCUREMENT_FREIGHT_MAX_SHARE).quantize(
        CENT, rounding=ROUND_DOWN
    )
    return min(settings.PROCUREMENT_FREIGHT_MAX, share)


def _percent(share: Decimal) -> str:
    return f"{share * 100:.2f}".rstrip("0").rstrip(".") + "%"


def freight_check(*, contract: Contract, freight: Decimal) -> None:
    """Refuse a freight figure ``contract`` may not carry."""
    if freight < 0:
        raise ContractFreightNegative()
    limit = freight_limit_for(contract=contract)
    if freight > limit:
        raise ContractFreightOverLimit(
            params={
                "limit": limit,
                "share": _percent(settings.PROCUREMENT_FREIGHT_MAX_SHARE),
                "cap": settings.PROCUREMENT_FREIGHT_MAX,
            }
        )


# --- Four eyes ----------------------------------------------------------------


def order_contributor_add(*, order: PurchaseOrder, user) -> None:
    """Remember that ``user`` created, edited or submitted ``order``."""
    order.contributors.add(user)


def order_may_be_decided_by(*, order: PurchaseOrder, user) -> bool:
    """Nobody approves or rejects an order they created, edited or submitted,
    whatever roles they hold: a unit admin may give one person both the
    purchaser and the approver role (small units have few staff), and this
    rule, not the role table, keeps the second pair of eyes."""
    if order.purchaser_id == user.pk:
        return False
    return not order.contributors.filter(pk=user.pk).exists()


# --- pairings (结对帮扶) -----------------------------------------------------------
# A pairing has exactly one helper side (a unit, or a region whose units all
# help), helps county-level regions only, and ends no earlier than it starts.
# The staff form, the XLSX importer and the service all go through
# ``pairing_check``; the model's constraints hold the first and last rule too.


@dataclass(frozen=True)
class PairingData:
    kind: str
    name: str
    helper_unit: BuyerOrganisation | None
    helper_region: Region | None
    counties: tuple[Region, ...]
    starts_on: datetime.date
    ends_on: datetime.date | None


_CODE_SPLIT = re.compile(r"[\s,，、;；]+")


def pairing_county_codes(text: str) -> list[str]:
    """County codes as staff type them: separated by spaces, commas or 、."""
    return list(dict.fromkeys(code for code in _CODE_SPLIT.split(text.strip()) if code))


def pairing_check(
    *,
    kind: str,
    name: str,
    helper_unit_uscc: str,
    helper_region_code: str,
    county_codes: list[str],
    starts_on: datetime.date,
    ends_on: datetime.date | None,
) -> PairingData:
    """The pairing's values resolved and checked, or the first rule it breaks."""
    helper_unit_uscc = normalise_uscc(helper_unit_uscc or "")
    helper_region_code = (helper_region_code or "").strip()
    if bool(helper_unit_uscc) == bool(helper_region_code):
        raise PairingHelperNotOne()
    helper_unit = helper_region = None
    if helper_unit_uscc:
        helper_unit = BuyerOrganisation.objects.filter(
            uscc=helper_unit_uscc, status=BuyerOrganisation.Status.ACTIVE
        ).first()
        if helper_unit is None:
            raise PairingHelperUnitNotFound(params={"uscc": helper_unit_uscc})
    else:
        helper_region = Region.objects.filter(code=helper_region_code).first()
        if helper_region is None:
            raise PairingRegionNotFound(params={"code": helper_region_code})
    if not county_codes:
        raise PairingNoCounties()
    found = {region.code: region for region in Region.objects.filter(code__in=county_codes)}
    for code in county_codes:
        region = found.get(code)
        if region is None:
            raise PairingRegionNotFound(params={"code": code})
        if region.level != Region.Level.COUNTY:
            raise PairingCountyNotCounty(params={"code": code, "name": region.name})
    if ends_on is not None and ends_on < starts_on:
        raise PairingDatesReversed()
    return PairingData(
        kind=kind,
        name=name.strip(),
        helper_unit=helper_unit,
        helper_region=helper_region,
        counties=tuple(found[code] for code in county_codes),
        starts_on=starts_on,
        ends_on=ends_on,
    )


def pairing_helper_units_q(*, unit=None, region=None, path: str = "organisation") -> Q:
    """Rows (contracts, off-platform purchases) bought by the helper side: the
    unit (its trade unions included, as they count toward it), or any unit in
    the region or below it. ``unit`` and ``region`` may be F/OuterRef."""
    if unit is not None:
        return Q(**{f"{path}__union_of": unit}) | Q(**{path: unit})
    return (
        Q(**{f"{path}__region": region})
        | Q(**{f"{path}__region__parent": region})
        | Q(**{f"{path}__region__parent__parent": region})
    )
