"""Orders in the states after-sales starts from: bought by a user, paid by
card (at localstripe) or by bank transfer, shipped by their producers."""

from decimal import Decimal

from django.utils import timezone

from payments.models import StripePayment
from payments.services import bank_receipt_record, stripe_event_handle
from producers.models import Producer
from producers.services import order_ship_producer_lines
from tests.factories.orders import bank_transfer_order, stripe_card_order
from tests.factories.users import StaffUserFactory, UserFactory


def _owned(order, buyer):
    order.user = buyer or UserFactory()
    order.save(update_fields=["user"])
    return order


def card_order_paid(*products, buyer=None, number="100001"):
    """Two of each product, paid by card through localstripe (needs stripe_on)."""
    from tests.support import stripe as fake_stripe

    order = _owned(stripe_card_order(*products, number=number), buyer)
    intent = fake_stripe.charge(StripePayment.objects.get(order=order).intent_id)
    stripe_event_handle(event=fake_stripe.event("payment_intent.succeeded", intent))
    order.refresh_from_db()
    return order


def card_order_unpaid(*products, buyer=None, number="100001"):
    return _owned(stripe_card_order(*products, number=number), buyer)


def bank_order_paid(*products, buyer=None, number="100001", amount: Decimal | None = None):
    """Two of each product, paid by a bank transfer staff recorded."""
    order = _owned(bank_transfer_order(*products, number=number), buyer)
    bank_receipt_record(
        order_id=order.pk,
        actor=StaffUserFactory(),
        reference=f"BANK{number}",
        amount=amount if amount is not None else order.total_incl_tax,
        received_on=timezone.localdate(),
    )
    order.refresh_from_db()
    return order


def producer_of(line) -> Producer:
    return Producer.objects.get(partner_id=line.partner_id)


def shipped(order):
    """Every producer of the order ships its lines; returns the order fresh."""
    for partner_id in sorted(set(order.lines.values_list("partner_id", flat=True))):
        producer = Producer.objects.get(partner_id=partner_id)
        worker = UserFactory()
        producer.partner.users.add(worker)
        order_ship_producer_lines(
            producer=producer,
            order_id=order.pk,
            actor=worker,
            carrier="顺丰速运",
            tracking_number=f"SF{order.pk}{partner_id}",
        )
    order.refresh_from_db()
    return order
