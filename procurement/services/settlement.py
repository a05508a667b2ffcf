"""Settlement: agreed payment terms, invoices and payments."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.uploads import document_check, document_rename
from procurement.exceptions import (
    InterestRateNegative,
    InvoiceAmountNotPositive,
    InvoiceBeforeConfirmation,
    InvoiceNumberTaken,
    InvoiceTotalAboveContract,
    PaymentAmountNotPositive,
    PaymentDateInFuture,
    PaymentDaysOutOfRange,
    PaymentNotAllowedInStatus,
    PaymentReferenceTaken,
    PaymentTotalAboveContract,
    RefundAlreadySettled,
    RefundDateInFuture,
    RefundNotOwed,
    RefundReferenceRequired,
)
from procurement.lock_objects import procurement_row_lock
from procurement.models import (
    PAYMENT_DAYS_MAX,
    PAYMENT_DAYS_MIN,
    Contract,
    ContractRefund,
    ContractStatus,
    Invoice,
    Payment,
    money,
)
from procurement.rules import contract_may_record_payment
from procurement.selectors import (
    contract_invoiced_total,
    contract_paid_total,
    contract_refund,
)
from procurement.services._common import (
    Role,
    _require_producer,
    _require_role,
)
from procurement.services.contracts import _settle_if_paid
from procurement.workflows import CONTRACT_WORKFLOW, ContractAction


def _amount_cap(contract: Contract) -> Decimal:
    if contract.payable_amount is not None:
        return contract.payable_amount
    return contract.goods_amount + contract.freight


@transaction.atomic
def contract_payment_days_set(*, contract: Contract, actor, days: int, daily_interest_rate=None):
    """Agreed terms, before the producer confirms: within the legal range of days."""
    contract = procurement_row_lock(contract)
    CONTRACT_WORKFLOW.check(contract, ContractAction.SET_TERMS, actor)
    if not PAYMENT_DAYS_MIN <= days <= PAYMENT_DAYS_MAX:
        raise PaymentDaysOutOfRange(params={"min": PAYMENT_DAYS_MIN, "max": PAYMENT_DAYS_MAX})
    contract.payment_days = days
    if daily_interest_rate is not None:
        if daily_interest_rate < 0:
            raise InterestRateNegative()
        contract.daily_interest_rate = daily_interest_rate
    CONTRACT_WORKFLOW.apply(
        contract,
        ContractAction.SET_TERMS,
        actor,
        reason=_("付款条件：验收后 %(days)d 天，逾期日利率 %(rate)s")
        % {"days": days, "rate": contract.daily_interest_rate},
        update_fields=["payment_days", "daily_interest_rate"],
    )
    return contract


@transaction.atomic
def invoice_record(
    *, contract: Contract, actor, number: str, issued_on: datetime.date, amount: Decimal, scan
) -> Invoice:
    """The producer records an invoice; its scan must pass ``document_check``
    (a ValidationError otherwise, before anything is stored)."""
    contract = procurement_row_lock(contract)
    _require_producer(user=actor, contract=contract)
    if contract.status in (
        ContractStatus.AWAITING,
        ContractStatus.DECLINED,
        ContractStatus.CANCELLED,
    ):
        raise InvoiceBeforeConfirmation()
    amount = money(amount)
    if amount <= 0:
        raise InvoiceAmountNotPositive()
    if contract_invoiced_total(contract=contract) + amount > _amount_cap(contract):
        raise InvoiceTotalAboveContract(params={"cap": _amount_cap(contract)})
    if contract.invoices.filter(number=number.strip()).exists():
        raise InvoiceNumberTaken()
    document_rename(scan, document_check(scan))
    return Invoice.objects.create(
        contract=contract,
        number=number.strip(),
        issued_on=issued_on,
        amount=amount,
        scan=scan,
        recorded_by=actor,
    )


@transaction.atomic
def payment_record(
    *, contract: Contract, actor, reference: str, paid_on: datetime.date, amount: Decimal
) -> Payment:
    """Finance records a transfer; pay-first contracts are paid before delivery,
    goods-first ones after acceptance. Paying in full settles an accepted contract."""
    contract = procurement_row_lock(contract)
    _require_role(user=actor, organisation=contract.organisation, roles=[Role.FINANCE])
    if not contract_may_record_payment(contract=contract):
        raise PaymentNotAllowedInStatus(
            params={
                "terms": contract.get_payment_terms_display(),
                "status": contract.get_status_display(),
            }
        )
    amount = money(amount)
    if amount <= 0:
        raise PaymentAmountNotPositive()
    if paid_on > timezone.localdate():
        raise PaymentDateInFuture()
    cap = _amount_cap(contract)
    if contract_paid_total(contract=contract) + amount > cap:
        raise PaymentTotalAboveContract(params={"cap": cap})
    if contract.payments.filter(reference=reference.strip()).exists():
        raise PaymentReferenceTaken()
    payment = Payment.objects.create(
        contract=contract,
        reference=reference.strip(),
        paid_on=paid_on,
        amount=amount,
        recorded_by=actor,
    )
    _settle_if_paid(contract=contract, actor=actor)
    return payment


@transaction.atomic
def contract_refund_settle(
    *, contract: Contract, actor, reference: str, refunded_on: datetime.date
) -> ContractRefund:
    """The buyer's finance records the producer's refund of an overpaid
    contract as received."""
    _require_role(user=actor, organisation=contract.organisation, roles=[Role.FINANCE])
    refund = contract_refund(contract=contract)
    if refund is None:
        raise RefundNotOwed()
    refund = procurement_row_lock(refund)
    if refund.is_settled:
        raise RefundAlreadySettled()
    if not reference.strip():
        raise RefundReferenceRequired()
    if refunded_on > timezone.localdate():
        raise RefundDateInFuture()
    refund.reference = reference.strip()
    refund.refunded_on = refunded_on
    refund.settled_by = actor
    refund.save(update_fields=["reference", "refunded_on", "settled_by"])
    return refund
