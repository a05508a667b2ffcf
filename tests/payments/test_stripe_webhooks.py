"""Stripe's webhooks are the truth: signed, applied once, in any order, and
checked against the order (issue 13). Intents are real ones on localstripe;
events are signed with Stripe's scheme (localstripe sends no charge.refunded,
and a forged or replayed event has to be built by hand anyway)."""

import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from oscar.core.loading import get_model

from payments.models import StripeEvent, StripePayment, StripePaymentStatus, StripeRefund
from payments.services import stripe_card_pay
from tests.factories import product_with_stock, stripe_card_order
from tests.support import stripe as fake_stripe

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(stripe_on):
    # Two of a ¥50.00 product: ¥100.00.
    return stripe_card_order(product_with_stock(price=Decimal("50.00"), stock=10))


def charged(order, card=fake_stripe.CARD_OK):
    """The buyer's card charged at Stripe, without our server hearing of it."""
    return fake_stripe.charge(StripePayment.objects.get(order=order).intent_id, card)


def succeeded_event(intent, **kwargs):
    return fake_stripe.event("payment_intent.succeeded", intent, **kwargs)


def state(order):
    order.refresh_from_db()
    return (
        order.status,
        order.payment_events.count(),
        order.sources.get().amount_debited,
        StripeEvent.objects.count(),
        len(mail.outbox),
    )


def test_a_signed_succeeded_event_pays_the_order_once_and_duplicates_are_acknowledged(
    client, order, django_capture_on_commit_callbacks
):
    event = succeeded_event(charged(order))

    with django_capture_on_commit_callbacks(execute=True):
        first = fake_stripe.post_webhook(client, event)
        again = fake_stripe.post_webhook(client, event)
        other_id = fake_stripe.post_webhook(client, succeeded_event(event["data"]["object"]))

    assert (first.status_code, again.status_code, other_id.status_code) == (200, 200, 200)
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PAID
    assert order.payment_events.get().amount == Decimal("100.00")
    assert order.sources.get().amount_debited == Decimal("100.00")
    assert StripeEvent.objects.count() == 2
    assert [m.subject for m in mail.outbox] == [f"订单 {order.number} 已付款"]


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda body, header: (body, header.replace("v1=", "v1=0")), id="bad-mac"),
        pytest.param(lambda body, header: (body + b" ", header), id="body-changed"),
        pytest.param(lambda body, header: (body, ""), id="no-signature"),
    ],
)
def test_a_badly_signed_event_is_refused_and_changes_nothing(client, order, tamper):
    from django.urls import reverse

    body, header = fake_stripe.signed(succeeded_event(charged(order)))
    body, header = tamper(body, header)
    before = state(order)

    response = client.post(
        reverse("payments:stripe-webhook"),
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )

    assert response.status_code == 400
    assert state(order) == before


def test_an_event_signed_with_another_secret_or_replayed_late_is_refused(client, order):
    event = succeeded_event(charged(order))
    before = state(order)

    other = fake_stripe.post_webhook(client, event, secret="whsec_someone_else")
    replayed = fake_stripe.post_webhook(client, event, timestamp=int(time.time()) - 301)

    assert (other.status_code, replayed.status_code) == (400, 400)
    assert state(order) == before


def test_an_amount_mismatch_is_refused_non_2xx_and_books_nothing(client, order):
    intent = dict(charged(order), amount=100)  # ¥1.00 against ¥100.00
    before = state(order)

    response = fake_stripe.post_webhook(client, succeeded_event(intent))

    assert response.status_code == 409
    assert state(order) == before  # not even the event id: Stripe's retry is processed again
    wrong_currency = dict(charged(order), currency="usd")
    assert fake_stripe.post_webhook(client, succeeded_event(wrong_currency)).status_code == 409


def test_an_event_for_an_unknown_intent_is_refused(client, stripe_on):
    response = fake_stripe.post_webhook(
        client, succeeded_event({"id": "pi_nobody", "amount": 100, "currency": "cny"})
    )
    assert response.status_code == 409
    assert not StripeEvent.objects.exists()


def test_a_failed_payment_leaves_the_order_waiting(client, order):
    payment = StripePayment.objects.get(order=order)
    event = fake_stripe.event(
        "payment_intent.payment_failed",
        {"id": payment.intent_id, "amount": 10000, "currency": "cny"},
    )

    assert fake_stripe.post_webhook(client, event).status_code == 200

    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PENDING_PAYMENT
    assert not order.payment_events.exists()


def test_a_failure_arriving_after_the_success_changes_nothing(client, order):
    intent = charged(order)
    fake_stripe.post_webhook(client, succeeded_event(intent))
    late_failure = fake_stripe.event("payment_intent.payment_failed", intent)

    assert fake_stripe.post_webhook(client, late_failure).status_code == 200

    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PAID


def test_the_webhook_before_the_redirect_pays_once(
    client, order, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    session = client.session
    session["checkout_order_id"] = order.pk
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        fake_stripe.post_webhook(client, succeeded_event(charged(order)))
        response = client.get(reverse("payments:stripe-return", kwargs={"number": order.number}))

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PAID
    assert order.payment_events.count() == 1
    assert len(mail.outbox) == 1


def test_the_redirect_before_the_webhook_pays_once(
    client, order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = stripe_card_pay(order=order, token_id=fake_stripe.card_token(fake_stripe.CARD_OK))
        payment = StripePayment.objects.get(order=order)
        late = fake_stripe.post_webhook(
            client, succeeded_event(fake_stripe.intent(payment.intent_id))
        )

    assert result.status == "succeeded"
    assert late.status_code == 200
    order.refresh_from_db()
    assert order.payment_events.count() == 1
    assert len(mail.outbox) == 1


def test_a_refund_made_in_stripes_dashboard_is_recorded_once(client, order):
    intent = charged(order)
    fake_stripe.post_webhook(client, succeeded_event(intent))
    charge = {
        "id": intent["latest_charge"],
        "object": "charge",
        "payment_intent": intent["id"],
        "amount_refunded": 3000,
        "refunds": {"data": [{"id": "re_dashboard1", "amount": 3000, "status": "succeeded"}]},
    }
    event = fake_stripe.event("charge.refunded", charge)

    assert fake_stripe.post_webhook(client, event).status_code == 200
    assert (
        fake_stripe.post_webhook(client, fake_stripe.event("charge.refunded", charge)).status_code
        == 200
    )

    refund = StripeRefund.objects.get()
    assert (refund.refund_id, refund.amount, refund.order) == (
        "re_dashboard1",
        Decimal("30.00"),
        order,
    )
    assert order.sources.get().amount_refunded == Decimal("30.00")
    assert order.payment_events.filter(event_type__code="refunded").count() == 1


def test_a_refund_arriving_before_the_payment_is_refused_for_a_retry(client, order):
    payment = StripePayment.objects.get(order=order)
    charge = {
        "id": "ch_x",
        "payment_intent": payment.intent_id,
        "refunds": {"data": [{"id": "re_early", "amount": 1000, "status": "succeeded"}]},
    }

    response = fake_stripe.post_webhook(client, fake_stripe.event("charge.refunded", charge))

    assert response.status_code == 409
    assert not StripeRefund.objects.exists()
    assert not StripeEvent.objects.exists()
    payment.refresh_from_db()
    assert payment.status == StripePaymentStatus.OPEN


def test_staff_cannot_mark_a_card_order_paid_by_hand(order):
    from payments.rules import order_status_change_refusal

    refusal = order_status_change_refusal(order, settings.ORDER_STATUS_PAID)

    assert refusal.code == "paid_only_by_stripe"
    assert order_status_change_refusal(order, settings.ORDER_STATUS_CANCELLED) is None
