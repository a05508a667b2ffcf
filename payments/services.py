import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from oscar.core.loading import get_class, get_model

from partner.lock_objects import order_lock
from payments.exceptions import (
    BankReceiptAmountInvalid,
    BankReceiptDateBeforeOrder,
    BankReceiptDateInFuture,
    BankReceiptDuplicate,
    BankReceiptOrderCancelled,
    BankReferenceRequired,
    BankReferenceTooLong,
    BankRefundAlreadySettled,
    BankRefundDateBeforeOrder,
    BankRefundDateBeforeReceipt,
    BankRefundDateInFuture,
    BankRefundExceedsPaid,
    BankRefundReferenceRequired,
    NoBankTransferSource,
)
from payments.lock_objects import bank_transfer_refund_lock, order_source_lock
from payments.methods import (
    BANK_TRANSFER_CODE,
    BANK_TRANSFER_NAME,
    PAID_EVENT_NAME,
    REFUNDED_EVENT_CODE,
    STRIPE_REFUND_EVENT_NAME,
)
from payments.models import (
    BANK_REFERENCE_MAX_LENGTH,
    BankReceipt,
    BankRefundKind,
    BankRefundStatus,
    BankTransferRefund,
)
from payments.notifications import order_paid_email_send
from payments.rules import bank_reference_normalised
from payments.selectors import order_paid_money
from payments.stripe_services import (  # noqa: F401 - Stripe's services are payments' services too
    order_cancel_locked,
    stripe_card_pay,
    stripe_card_source_type,
    stripe_event_handle,
    stripe_event_verify,
    stripe_intent_client_secret,
    stripe_open_intents_cancel,
    stripe_open_payment,
    stripe_payment_intent_create,
    stripe_payment_record,
    stripe_payment_succeeded,
    stripe_payment_sync,
    stripe_refund_create,
    stripe_unpaid_orders_expire,
    stripe_unwanted_payment_refund,
)

EventHandler = get_class("order.processing", "EventHandler")
Order = get_model("order", "Order")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEvent = get_model("order", "PaymentEvent")

CENT = Decimal("0.01")
# BankReceipt.amount holds 12 digits, two of them decimals.
AMOUNT_LIMIT = Decimal("10000000000")


def bank_transfer_source_type():
    source_type, _created = SourceType.objects.get_or_create(
        code=BANK_TRANSFER_CODE, defaults={"name": str(BANK_TRANSFER_NAME)}
    )
    return source_type


def _reference(reference: str, *, missing, too_long) -> str:
    reference = bank_reference_normalised(reference)
    if not reference:
        raise missing(params={"max": BANK_REFERENCE_MAX_LENGTH})
    if len(reference) > BANK_REFERENCE_MAX_LENGTH:
        raise too_long(params={"max": BANK_REFERENCE_MAX_LENGTH})
    return reference


def _amount(amount) -> Decimal:
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise BankReceiptAmountInvalid() from None
    if not amount.is_finite() or amount <= 0 or amount >= AMOUNT_LIMIT:
        raise BankReceiptAmountInvalid()
    if amount != amount.quantize(CENT):
        raise BankReceiptAmountInvalid()
    return amount.quantize(CENT)


def _duplicate(*, source_type, reference: str) -> BankReceiptDuplicate | None:
    booked = (
        BankReceipt.objects.filter(source_type=source_type, reference=reference)
        .select_related("order")
        .first()
    )
    if booked is None:
        return None
    return BankReceiptDuplicate(params={"reference": reference, "number": booked.order.number})


@transaction.atomic
def bank_receipt_record(
    *,
    order_id: int,
    actor,
    reference: str,
    amount: Decimal,
    received_on: datetime.date,
    note: str = "",
) -> BankReceipt:
    """Book a bank transfer that arrived for an order: a payment event and a
    debit of the order's bank-transfer source, both under the bank's serial
    number (流水号), for the amount that arrived.

    Less than the order total leaves it awaiting payment; reaching the total
    moves it to paid through Oscar's status machinery (once: later receipts
    find it paid); whatever arrives beyond the total is a refund owed to the
    buyer. The same serial number is never booked twice.
    """
    reference = _reference(reference, missing=BankReferenceRequired, too_long=BankReferenceTooLong)
    amount = _amount(amount)
    if received_on > timezone.localdate():
        raise BankReceiptDateInFuture()
    order = order_lock(pk=order_id)
    placed_on = timezone.localdate(order.date_placed)
    if received_on < placed_on:
        raise BankReceiptDateBeforeOrder(params={"placed": placed_on.isoformat()})
    if order.status == settings.ORDER_STATUS_CANCELLED:
        raise BankReceiptOrderCancelled(params={"number": order.number})
    source = order_source_lock(order=order, source_type_code=BANK_TRANSFER_CODE)
    if source is None:
        raise NoBankTransferSource(order.number)
    duplicate = _duplicate(source_type=source.source_type, reference=reference)
    if duplicate is not None:
        raise duplicate

    due, before = source.amount_allocated, source.amount_debited
    after = before + amount
    excess = after - max(due, before)

    event_type, _created = PaymentEventType.objects.get_or_create(
        code="paid", defaults={"name": PAID_EVENT_NAME}
    )
    event = PaymentEvent.objects.create(
        order=order, event_type=event_type, amount=amount, reference=reference
    )
    try:
        with transaction.atomic():
            receipt = BankReceipt.objects.create(
                order=order,
                source_type=source.source_type,
                reference=reference,
                amount=amount,
                received_on=received_on,
                note=(note or "").strip()[:200],
                payment_event=event,
                recorded_by=actor,
            )
    except IntegrityError:
        # The same serial booked for another order at this very moment: its
        # transaction committed first.
        duplicate = _duplicate(source_type=source.source_type, reference=reference)
        if duplicate is None:
            raise
        raise duplicate from None
    source.debit(amount, reference=reference)
    if excess > 0:
        BankTransferRefund.objects.create(receipt=receipt, order=order, amount=excess)
    if order.status == settings.ORDER_STATUS_PENDING_PAYMENT and after >= due:
        EventHandler(user=actor).handle_order_status_change(
            order,
            settings.ORDER_STATUS_PAID,
            note_msg=gettext("累计到账 %(received)s 元，达到订单金额 %(total)s 元，订单已付款。")
            % {"received": after, "total": due},
        )
        transaction.on_commit(lambda: order_paid_email_send(order_id=order.pk))
    return receipt


@transaction.atomic
def bank_transfer_refund_settle(
    *, refund_id: int, actor, reference: str, refunded_on: datetime.date
) -> BankTransferRefund:
    """Record that money owed back (an overpayment or an after-sales refund)
    was sent to the buyer, with the bank serial number of the refund; the
    order's source is credited with it."""
    order_id = (
        BankTransferRefund.objects.filter(pk=refund_id).values_list("order_id", flat=True).get()
    )
    order = order_lock(pk=order_id)
    source = order_source_lock(order=order, source_type_code=BANK_TRANSFER_CODE)
    refund = bank_transfer_refund_lock(pk=refund_id)
    if refund.is_settled:
        raise BankRefundAlreadySettled()
    reference = _reference(
        reference, missing=BankRefundReferenceRequired, too_long=BankRefundReferenceRequired
    )
    if refunded_on > timezone.localdate():
        raise BankRefundDateInFuture()
    if refund.receipt is not None:
        received_on = refund.receipt.received_on
        if refunded_on < received_on:
            raise BankRefundDateBeforeReceipt(params={"received": received_on.isoformat()})
    placed_on = timezone.localdate(order.date_placed)
    if refunded_on < placed_on:
        raise BankRefundDateBeforeOrder(params={"placed": placed_on.isoformat()})
    source.refund(refund.amount, reference=reference)
    # Staff read every yuan in and out of the order among its payment events.
    refunded_type, _created = PaymentEventType.objects.get_or_create(
        code=REFUNDED_EVENT_CODE, defaults={"name": STRIPE_REFUND_EVENT_NAME}
    )
    PaymentEvent.objects.create(
        order=order, event_type=refunded_type, amount=refund.amount, reference=reference
    )
    refund.status = BankRefundStatus.SETTLED
    refund.reference = reference
    refund.refunded_on = refunded_on
    refund.settled_by = actor
    refund.save(update_fields=["status", "reference", "refunded_on", "settled_by"])
    return refund


@transaction.atomic
def bank_transfer_refund_owe(*, order_id: int, amount: Decimal) -> BankTransferRefund:
    """Record an after-sales refund owed to a buyer who paid by bank transfer,
    for staff to send and settle (``bank_transfer_refund_settle``). Never more
    than was received, less what was refunded or is owed already."""
    order = order_lock(pk=order_id)
    source = order_source_lock(order=order, source_type_code=BANK_TRANSFER_CODE)
    if source is None:
        raise NoBankTransferSource(order.number)
    paid = order_paid_money(order=order)
    refundable = paid.refundable if paid is not None else Decimal("0.00")
    if amount <= 0 or amount > refundable:
        raise BankRefundExceedsPaid(
            params={"amount": amount, "number": order.number, "refundable": refundable}
        )
    return BankTransferRefund.objects.create(
        order=order, amount=amount, kind=BankRefundKind.AFTERSALES
    )
