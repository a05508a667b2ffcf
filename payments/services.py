from django.db import transaction
from oscar.core.loading import get_model

from payments.exceptions import NoBankTransferSource
from payments.lock_objects import order_lock, order_source_lock
from payments.methods import BANK_TRANSFER_CODE, BANK_TRANSFER_NAME, PAID_EVENT_NAME

Order = get_model("order", "Order")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEvent = get_model("order", "PaymentEvent")


def bank_transfer_source_type():
    source_type, _created = SourceType.objects.get_or_create(
        code=BANK_TRANSFER_CODE, defaults={"name": str(BANK_TRANSFER_NAME)}
    )
    return source_type


@transaction.atomic
def bank_transfer_record_payment(*, order_id: int) -> PaymentEvent | None:
    """Record that the bank transfer for an order has arrived.

    Idempotent: a second call for an order already paid records nothing.
    """
    order = order_lock(pk=order_id)
    source = order_source_lock(order=order, source_type_code=BANK_TRANSFER_CODE)
    if source is None:
        raise NoBankTransferSource(order.number)
    outstanding = source.amount_allocated - source.amount_debited
    if outstanding <= 0:
        return None
    source.debit(outstanding, reference=order.number)
    event_type, _created = PaymentEventType.objects.get_or_create(
        code="paid", defaults={"name": PAID_EVENT_NAME}
    )
    event = PaymentEvent.objects.create(
        order=order, event_type=event_type, amount=outstanding, reference=order.number
    )
    return event
