"""Contracts from the producer's confirmation to acceptance (验收) and settling."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner.lock_objects import stockrecords_lock
from partner.services import stockrecord_allocate, stockrecords_restock
from procurement.exceptions import (
    AcceptanceAcceptedAboveReceived,
    AcceptanceLinesIncomplete,
    AcceptanceQuantityNegative,
    AcceptanceRatingOutOfRange,
    AcceptanceReceivedAboveContract,
    ContractShippingDetailsRequired,
)
from procurement.lock_objects import procurement_row_lock
from procurement.models import (
    Contract,
    ContractRefund,
    ContractStatus,
)
from procurement.selectors import contract_paid_total, contract_pending_amendment
from procurement.services._common import (
    Role,
    _members_with_role,
    _notify,
)
from procurement.services.amendments import _amendment_withdraw
from procurement.workflows import CONTRACT_WORKFLOW, ContractAction


@transaction.atomic
def contract_confirm(*, contract: Contract, actor) -> Contract:
    """The producer confirms; its stock is allocated under the same row locks as
    consumer orders (partner.services), so nobody oversells."""
    contract = procurement_row_lock(contract)
    CONTRACT_WORKFLOW.apply(contract, ContractAction.CONFIRM, actor)
    lines = list(contract.lines.order_by("stockrecord_id"))
    stockrecords_lock(ids=[line.stockrecord_id for line in lines])
    for line in lines:
        # Raises InsufficientStock, which rolls the whole confirmation back.
        stockrecord_allocate(stockrecord_id=line.stockrecord_id, quantity=line.quantity)
    return contract


@transaction.atomic
def contract_decline(*, contract: Contract, actor, reason: str) -> Contract:
    """The producer refuses the contract; a change it had asked for goes with it."""
    contract = procurement_row_lock(contract)
    CONTRACT_WORKFLOW.check(contract, ContractAction.DECLINE, actor, reason=reason)
    pending = contract_pending_amendment(contract=contract)
    if pending is not None:
        _amendment_withdraw(
            pending, contract=contract, actor=actor, note=_("供应商拒绝了合同，变更申请随之撤回。")
        )
    CONTRACT_WORKFLOW.apply(contract, ContractAction.DECLINE, actor, reason=reason)
    _notify(
        users=_members_with_role(contract.organisation, Role.PURCHASER),
        subject=_("合同 %(number)s 已被供应商拒绝") % {"number": contract.number},
        body=_("%(producer)s 拒绝了合同 %(number)s，原因：%(reason)s")
        % {"producer": contract.producer.name, "number": contract.number, "reason": reason},
        link=reverse("procurement:contract-detail", args=[contract.pk]),
    )
    return contract


@transaction.atomic
def contract_ship(*, contract: Contract, actor, carrier: str, tracking_number: str) -> Contract:
    """Shipping turns the allocation into goods out of stock."""
    contract = procurement_row_lock(contract)
    CONTRACT_WORKFLOW.check(contract, ContractAction.SHIP, actor)
    if not carrier.strip() or not tracking_number.strip():
        raise ContractShippingDetailsRequired()
    contract.carrier = carrier.strip()
    contract.tracking_number = tracking_number.strip()
    CONTRACT_WORKFLOW.apply(
        contract, ContractAction.SHIP, actor, update_fields=["carrier", "tracking_number"]
    )
    lines = list(contract.lines.order_by("stockrecord_id"))
    locked = stockrecords_lock(ids=[line.stockrecord_id for line in lines])
    for line in lines:
        # Saving the row (not a queryset update) lets search re-index the
        # product's availability once the transaction commits.
        locked[line.stockrecord_id].consume_allocation(line.quantity)
    _notify(
        users=_members_with_role(contract.organisation, Role.PURCHASER),
        subject=_("合同 %(number)s 已发货，请验收") % {"number": contract.number},
        body=_("%(producer)s 已通过 %(carrier)s 发货（运单号 %(tracking)s），到货后请登录验收。")
        % {
            "producer": contract.producer.name,
            "carrier": contract.carrier,
            "tracking": contract.tracking_number,
        },
        link=reverse("procurement:contract-accept", args=[contract.pk]),
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
    contract = procurement_row_lock(contract)
    CONTRACT_WORKFLOW.check(contract, ContractAction.ACCEPT, actor)
    today = today or timezone.localdate()
    by_id = {line.pk: line for line in contract.lines.all()}
    given = {item.line_id: item for item in lines}
    if set(given) != set(by_id):
        raise AcceptanceLinesIncomplete()
    if not 1 <= rating <= 5:
        raise AcceptanceRatingOutOfRange()
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
    # What was rejected goes back to the producer, and back into its stock.
    stockrecords_restock(
        quantities={line.stockrecord_id: line.rejected_quantity for line in by_id.values()}
    )
    contract.accepted_on = today
    contract.accepted_amount = accepted_amount
    contract.due_date = today + datetime.timedelta(days=contract.payment_days)
    contract.rating = rating
    contract.acceptance_notes = notes.strip()
    CONTRACT_WORKFLOW.apply(
        contract,
        ContractAction.ACCEPT,
        actor,
        reason=notes,
        update_fields=[
            "accepted_on",
            "accepted_amount",
            "due_date",
            "rating",
            "acceptance_notes",
        ],
    )
    _settle_if_paid(contract=contract, actor=actor)
    _refund_if_overpaid(contract=contract)
    _notify(
        users=contract.producer.partner.users.all(),
        subject=_("合同 %(number)s 已验收") % {"number": contract.number},
        body=_("%(unit)s 已验收合同 %(number)s，验收金额 ¥%(amount)s，付款到期日 %(due)s。")
        % {
            "unit": contract.organisation.name,
            "number": contract.number,
            "amount": contract.accepted_amount,
            "due": contract.due_date.isoformat(),
        },
        link=reverse("procurement:contract-detail", args=[contract.pk]),
    )
    return contract


def _refund_if_overpaid(*, contract: Contract) -> None:
    """A pay-first contract paid in full before delivery and accepted for less
    owes the difference back: record it, and tell both sides."""
    paid = contract_paid_total(contract=contract)
    overpaid = paid - contract.payable_amount
    if overpaid <= 0:
        return
    ContractRefund.objects.create(contract=contract, amount=overpaid)
    _notify(
        users=[
            *contract.producer.partner.users.all(),
            *_members_with_role(contract.organisation, Role.FINANCE),
        ],
        subject=_("合同 %(number)s 应退款 ¥%(amount)s")
        % {"number": contract.number, "amount": overpaid},
        body=_(
            "合同 %(number)s 已付 ¥%(paid)s，验收后应付 ¥%(payable)s，供应商应退还 ¥%(amount)s。"
            "退款到账后，请采购单位财务人员在合同页登记退款流水号。"
        )
        % {
            "number": contract.number,
            "paid": paid,
            "payable": contract.payable_amount,
            "amount": overpaid,
        },
        link=reverse("procurement:contract-detail", args=[contract.pk]),
    )


def _settle_if_paid(*, contract: Contract, actor) -> None:
    if contract.status != ContractStatus.ACCEPTED:
        return
    if contract_paid_total(contract=contract) >= contract.payable_amount:
        CONTRACT_WORKFLOW.apply(contract, ContractAction.SETTLE, actor, reason=_("款项已付清"))
