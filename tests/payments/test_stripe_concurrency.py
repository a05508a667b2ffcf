"""Stripe against real threads on PostgreSQL, and localstripe's own signed
webhooks delivered over HTTP to a live server (issue 13)."""

import time
import uuid
from decimal import Decimal

import pytest
import requests
from django.conf import settings
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from payments.exceptions import StripeRefundExceedsPaid
from payments.models import StripeEvent, StripePayment, StripeRefund
from payments.services import stripe_event_handle, stripe_refund_create
from tests.factories import product_with_stock, stripe_card_order
from tests.support import stripe as fake_stripe
from tests.support.threads import run_concurrently

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def order(stripe_on):
    return stripe_card_order(product_with_stock(price=Decimal("50.00"), stock=10))


def test_two_succeeded_webhooks_at_once_pay_the_order_once(order):
    intent = fake_stripe.charge(StripePayment.objects.get(order=order).intent_id)
    events = [fake_stripe.event("payment_intent.succeeded", intent) for _ in range(2)]

    outcomes = run_concurrently([lambda e=e: stripe_event_handle(event=e) for e in events])

    assert sorted(outcomes) == [False, True]
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PAID
    assert order.payment_events.count() == 1
    assert order.sources.get().amount_debited == Decimal("100.00")
    assert order.status_changes.filter(new_status=settings.ORDER_STATUS_PAID).count() == 1
    assert StripeEvent.objects.count() == 2
    assert len(mail.outbox) == 1


def test_the_same_event_delivered_twice_at_once_is_applied_once(order):
    intent = fake_stripe.charge(StripePayment.objects.get(order=order).intent_id)
    event = fake_stripe.event("payment_intent.succeeded", intent)

    outcomes = run_concurrently([lambda: stripe_event_handle(event=event)] * 2)

    assert sorted(outcomes) == [False, True]
    assert StripeEvent.objects.count() == 1
    assert order.payment_events.count() == 1


def test_two_refunds_at_once_never_exceed_what_was_paid(order):
    intent = fake_stripe.charge(StripePayment.objects.get(order=order).intent_id)
    stripe_event_handle(event=fake_stripe.event("payment_intent.succeeded", intent))

    def refund(key):
        return lambda: stripe_refund_create(
            order_id=order.pk, amount=Decimal("60.00"), idempotency_key=key
        )

    outcomes = run_concurrently([refund("after-sale-1"), refund("after-sale-2")])

    assert sum(isinstance(o, StripeRefund) for o in outcomes) == 1
    assert sum(isinstance(o, StripeRefundExceedsPaid) for o in outcomes) == 1
    assert order.sources.get().amount_refunded == Decimal("60.00")
    assert [r["amount"] for r in fake_stripe.refunds_of(intent["id"])] == [6000]


def test_localstripes_signed_webhook_pays_the_order(order, live_server, stripe_on):
    secret = f"whsec_{uuid.uuid4().hex}"
    stripe_on.STRIPE_WEBHOOK_SECRET = secret
    # One registration, overwritten by each run with its own secret: deliveries
    # meant for an earlier test's server fail its signature check.
    requests.post(
        f"{settings.STRIPE_API_BASE}/_config/webhooks/marketplace-tests",
        data={"url": live_server.url + reverse("payments:stripe-webhook"), "secret": secret},
        timeout=10,
    ).raise_for_status()

    fake_stripe.charge(StripePayment.objects.get(order=order).intent_id)

    # localstripe delivers a second after the charge; wait for it to arrive.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if StripeEvent.objects.filter(event_type="payment_intent.succeeded").exists():
            break
        time.sleep(0.2)
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PAID
    assert order.payment_events.count() == 1
