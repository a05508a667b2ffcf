"""Orders awaiting card payment too long are cancelled, their intents
cancelled at Stripe and their stock released; bank-transfer orders keep
their own due days (issue 13)."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_model

from payments.models import StripePayment, StripePaymentStatus
from payments.services import stripe_card_pay, stripe_unpaid_orders_expire
from tests.factories import bank_transfer_order, product_with_stock, stripe_card_order
from tests.support import stripe as fake_stripe

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(stripe_on):
    return product_with_stock(price=Decimal("50.00"), stock=10)


def placed_minutes_ago(order, minutes):
    Order.objects.filter(pk=order.pk).update(
        date_placed=timezone.now() - timedelta(minutes=minutes)
    )
    order.refresh_from_db()
    return order


def allocated(product):
    return StockRecord.objects.get(product=product).num_allocated


def test_an_order_unpaid_past_the_timeout_is_cancelled_and_its_stock_released(product):
    stale = placed_minutes_ago(stripe_card_order(product, number="100001"), 31)
    fresh = placed_minutes_ago(stripe_card_order(product, number="100002"), 29)
    bank = placed_minutes_ago(bank_transfer_order(product, number="100003"), 60 * 24)
    assert allocated(product) == 6
    out = StringIO()

    call_command("payments_expire_unpaid", stdout=out)

    assert "100001" in out.getvalue()
    stale.refresh_from_db()
    assert stale.status == settings.ORDER_STATUS_CANCELLED
    assert {line.status for line in stale.lines.all()} == {settings.ORDER_STATUS_CANCELLED}
    assert allocated(product) == 4
    payment = StripePayment.objects.get(order=stale)
    assert payment.status == StripePaymentStatus.CANCELLED
    assert fake_stripe.intent(payment.intent_id)["status"] == "canceled"
    for order in (fresh, bank):
        order.refresh_from_db()
        assert order.status == settings.ORDER_STATUS_PENDING_PAYMENT
    # Run again: nothing left to do, nothing released twice.
    assert stripe_unpaid_orders_expire() == []
    assert allocated(product) == 4


def test_the_timeout_is_a_setting(product, settings):
    order = placed_minutes_ago(stripe_card_order(product), 31)
    settings.STRIPE_PAYMENT_TIMEOUT_MINUTES = 45

    assert stripe_unpaid_orders_expire() == []

    settings.STRIPE_PAYMENT_TIMEOUT_MINUTES = 30
    assert stripe_unpaid_orders_expire() == [order.number]


def test_an_order_paid_at_stripe_before_the_webhook_is_paid_not_cancelled(product):
    order = placed_minutes_ago(stripe_card_order(product), 31)
    fake_stripe.charge(StripePayment.objects.get(order=order).intent_id)

    assert stripe_unpaid_orders_expire() == []

    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PAID
    assert allocated(product) == 2


def test_a_paid_card_order_is_never_expired(product):
    order = stripe_card_order(product)
    stripe_card_pay(order=order, token_id=fake_stripe.card_token(fake_stripe.CARD_OK))
    placed_minutes_ago(order, 120)

    assert stripe_unpaid_orders_expire() == []
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PAID


def test_money_arriving_for_an_expired_order_is_booked_and_flagged_not_revived(
    product, client, django_capture_on_commit_callbacks
):
    from django.core import mail

    order = placed_minutes_ago(stripe_card_order(product), 31)
    stripe_unpaid_orders_expire()
    payment = StripePayment.objects.get(order=order)
    late = fake_stripe.event(
        "payment_intent.succeeded",
        {"id": payment.intent_id, "amount": 10000, "currency": "cny"},
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = fake_stripe.post_webhook(client, late)

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_CANCELLED
    assert order.sources.get().amount_debited == Decimal("100.00")
    assert order.notes.filter(message__contains="款项将自动原路退回").exists()
    assert mail.outbox == []


def test_money_that_reaches_a_cancelled_order_goes_back_by_itself_once(
    product, client, django_capture_on_commit_callbacks
):
    """Stripe took the money while the order was being cancelled (the race
    the expiry job cannot close): the payment is booked, then refunded whole
    at Stripe without staff, and a replayed event refunds nothing more."""
    from payments.models import StripeRefund

    order = stripe_card_order(product)
    payment = StripePayment.objects.get(order=order)
    paid = fake_stripe.charge(payment.intent_id)
    assert paid["status"] == "succeeded"
    Order.objects.filter(pk=order.pk).update(status=settings.ORDER_STATUS_CANCELLED)
    event = fake_stripe.event("payment_intent.succeeded", paid)

    with django_capture_on_commit_callbacks(execute=True):
        assert fake_stripe.post_webhook(client, event).status_code == 200

    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_CANCELLED
    source = order.sources.get()
    assert source.amount_debited == source.amount_refunded == Decimal("100.00")
    (refund,) = fake_stripe.refunds_of(payment.intent_id)
    assert refund["amount"] == 10000
    assert StripeRefund.objects.get(order=order).refund_id == refund["id"]
    assert order.notes.filter(message__contains="已自动退回").exists()

    replay = fake_stripe.event("payment_intent.succeeded", paid)
    with django_capture_on_commit_callbacks(execute=True):
        assert fake_stripe.post_webhook(client, replay).status_code == 200
    assert len(fake_stripe.refunds_of(payment.intent_id)) == 1
    assert StripeRefund.objects.filter(order=order).count() == 1
