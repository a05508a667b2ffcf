"""Contracts from the producer's confirmation to acceptance (验收) and settling."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partner.lock_objects import stockrecords_lock
from partner.services import stockrecord_allocate
from procurement.exceptions import (
    AcceptanceAcceptedAboveReceived,
    AcceptanceLinesIncomplete,
    AcceptanceQuantityNegative,
    AcceptanceRatingOutOfRange,
    AcceptanceReceivedAboveContract,
    ContractDeclineReasonRequired,
    ContractFreightLocked,
    ContractFreightNegative,
    ContractShippingDetailsRequired,
    ContractTransitionNotAllowed,
)
from procurement.models import (
    CONTRACT_TRANSITIONS,
    Contract,
    ContractStatus,
    ContractTransition,
    money,
)
from procurement.selectors import contract_paid_total
from procurement.services._common import (
    Role,
    _lock_one,
    _members_with_role,
    _notify,
    _require_producer,
    _require_role,
)


def _contract_transition(*, contract: Contract, to: str, actor, reason: str = "") -> None:
    if to not in CONTRACT_TRANSITIONS[ContractStatus(contract.status)]:
        raise ContractTransitionNotAllowed(
            params={
                "current": contract.get_status_display(),
                "target": ContractStatus(to).label,
            }
        )
    ContractTransition.objects.create(
        contract=contract, from_status=contract.status, to_status=to, actor=actor, reason=reason
    )
    contract.status = to


@transaction.atomic
def contract_freight_set(*, contract: Contract, actor, freight: Decimal) -> Contract:
    contract = _lock_one(contract)
    _require_producer(user=actor, contract=contract)
    if contract.status != ContractStatus.AWAITING:
        raise ContractFreightLocked()
    freight = money(freight)
    if freight < 0:
        raise ContractFreightNegative()
    if freight != contract.freight:
        ContractTransition.objects.create(
            contract=contract,
            from_status=contract.status,
            to_status=contract.status,
            actor=actor,
            reason=_("运费由 ¥%(old)s 调整为 ¥%(new)s") % {"old": contract.freight, "new": freight},
        )
    contract.freight = freight
    contract.save(update_fields=["freight", "updated_at"])
    return contract


@transaction.atomic
def contract_confirm(*, contract: Contract, actor) -> Contract:
    """The producer confirms; its stock is allocated under the same row locks as
    consumer orders (partner.services), so nobody oversells."""
    contract = _lock_one(contract)
    _require_producer(user=actor, contract=contract)
    _contract_transition(contract=contract, to=ContractStatus.CONFIRMED, actor=actor)
    lines = list(contract.lines.order_by("stockrecord_id"))
    stockrecords_lock(ids=[line.stockrecord_id for line in lines])
    for line in lines:
        # Raises InsufficientStock, which rolls the whole confirmation back.
        stockrecord_allocate(stockrecord_id=line.stockrecord_id, quantity=line.quantity)
    contract.save(update_fields=["status", "updated_at"])
    return contract


@transaction.atomic
def contract_decline(*, contract: Contract, actor, reason: str) -> Contract:
    contract = _lock_one(contract)
    _require_producer(user=actor, contract=contract)
    if not reason.strip():
        raise ContractDeclineReasonRequired()
    _contract_transition(
        contract=contract, to=ContractStatus.DECLINED, actor=actor, reason=reason.strip()
    )
    contract.save(update_fields=["status", "updated_at"])
    return contract


@transaction.atomic
def contract_ship(*, contract: Contract, actor, carrier: str, tracking_number: str) -> Contract:
    """Shipping turns the allocation into goods out of stock."""
    contract = _lock_one(contract)
    _require_producer(user=actor, contract=contract)
    if not carrier.strip() or not tracking_number.strip():
        raise ContractShippingDetailsRequired()
    _contract_transition(contract=contract, to=ContractStatus.SHIPPED, actor=actor)
    lines = list(contract.lines.order_by("stockrecord_id"))
    locked = stockrecords_lock(ids=[line.stockrecord_id for line in lines])
    for line in lines:
        # Saving the row (not a queryset update) lets search re-index the
        # product's availability once the transaction commits.
        locked[line.stockrecord_id].consume_allocation(line.quantity)
    contract.carrier = carrier.strip()
    contract.tracking_number = tracking_number.strip()
    contract.save(update_fields=["status", "carrier", "tracking_number", "updated_at"])
    _notify(
        users=_members_with_role(contract.organisation, Role.PURCHASER),
        subject=_("合同 %(number)s 已发货，请验收") % {"number": contract.number},
        body=_("%(producer)s 已通过 %(carrier)s 发货（运单号 %(tracking)s），到货后请登录验收。")
        % {
            "producer": contract.producer.name,
            "carrier": contract.carrier,
            "tracking": contract.tracking_number,
        },
    )
    return contract


@dataclass(frozen=True)
class LineAcceptance:
    line_id: int
    received: int
    accepted: int
    notes: str = ""


@transaction.atomic
def contract_accept(
    *,
    contract: Contract,
    actor,
    lines: list[LineAcceptance],
    rating: int,
    notes: str = "",
    today: datetime.date | None = None,
) -> Contract:
    """验收: per line received and accepted quantities (the rest of what arrived is
    rejected); the accepted amount is what counts and what is owed."""
    contract = _lock_one(contract)
    _require_role(
        user=actor, organisation=contract.organisation, roles=[Role.PURCHASER, Role.ADMIN]
    )
    today = today or timezone.localdate()
    by_id = {line.pk: line for line in contract.lines.all()}
    given = {item.line_id: item for item in lines}
    if set(given) != set(by_id):
        raise AcceptanceLinesIncomplete()
    if not 1 <= rating <= 5:
        raise AcceptanceRatingOutOfRange()
    _contract_transition(
        contract=contract, to=ContractStatus.ACCEPTED, actor=actor, reason=notes.strip()
    )
    accepted_amount = Decimal("0.00")
    for line_id, line in by_id.items():
        item = given[line_id]
        if item.received < 0 or item.accepted < 0:
            raise AcceptanceQuantityNegative()
        if item.received > line.quantity:
            raise AcceptanceReceivedAboveContract(
                params={"product": line.product.get_title(), "quantity": line.quantity}
            )
        if item.accepted > item.received:
            raise AcceptanceAcceptedAboveReceived(params={"product": line.product.get_title()})
        line.received_quantity = item.received
        line.accepted_quantity = item.accepted
        line.rejected_quantity = item.received - item.accepted
        line.notes = item.notes.strip()
        line.save(
            update_fields=["received_quantity", "accepted_quantity", "rejected_quantity", "notes"]
        )
        accepted_amount += line.accepted_amount
    contract.accepted_on = today
    contract.accepted_amount = accepted_amount
    contract.due_date = today + datetime.timedelta(days=contract.payment_days)
    contract.rating = rating
    contract.acceptance_notes = notes.strip()
    contract.save()
    _settle_if_paid(contract=contract, actor=actor)
    return contract


def _settle_if_paid(*, contract: Contract, actor) -> None:
    if contract.status != ContractStatus.ACCEPTED:
        return
    if contract_paid_total(contract=contract) >= contract.payable_amount:
        _contract_transition(
            contract=contract, to=ContractStatus.SETTLED, actor=actor, reason=_("款项已付清")
        )
        contract.save(update_fields=["status", "updated_at"])
