"""Refunds of card payments go to Stripe with an idempotency key and are
recorded; they never exceed what was paid (issue 13; the after-sales flows
build on ``payments.services.stripe_refund_create``)."""

from decimal import Decimal

import pytest

from common.exceptions import DomainError
from payments.models import StripePayment, StripeRefund
from payments.services import stripe_event_handle, stripe_refund_create
from tests.factories import StaffUserFactory, product_with_stock, stripe_card_order
from tests.support import stripe as fake_stripe

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(stripe_on):
    return stripe_card_order(product_with_stock(price=Decimal("50.00"), stock=10))


@pytest.fixture
def paid(order):
    intent = fake_stripe.charge(StripePayment.objects.get(order=order).intent_id)
    stripe_event_handle(event=fake_stripe.event("payment_intent.succeeded", intent))
    return intent


def refund(order, amount, key="refund-1", **kwargs):
    return stripe_refund_create(
        order_id=order.pk, amount=Decimal(amount), idempotency_key=key, **kwargs
    )


def test_a_refund_goes_to_stripe_and_is_recorded(order, paid):
    staff = StaffUserFactory()

    made = refund(order, "30.00", actor=staff)

    at_stripe = fake_stripe.refunds_of(paid["id"])
    assert [(r["id"], r["amount"]) for r in at_stripe] == [(made.refund_id, 3000)]
    assert (made.amount, made.order, made.created_by, made.idempotency_key) == (
        Decimal("30.00"),
        order,
        staff,
        "refund-1",
    )
    source = order.sources.get()
    assert source.amount_refunded == Decimal("30.00")
    assert source.transactions.get(txn_type="Refund").reference == made.refund_id
    event = order.payment_events.get(event_type__code="refunded")
    assert (event.amount, event.reference) == (Decimal("30.00"), made.refund_id)


def test_the_same_idempotency_key_refunds_once(order, paid):
    first = refund(order, "30.00", key="line-7-return")
    again = refund(order, "30.00", key="line-7-return")

    assert again == first
    assert len(fake_stripe.refunds_of(paid["id"])) == 1
    assert order.sources.get().amount_refunded == Decimal("30.00")


def test_stripes_own_refund_notice_of_our_refund_is_not_booked_twice(client, order, paid):
    made = refund(order, "30.00")
    charge = {
        "id": paid["latest_charge"],
        "payment_intent": paid["id"],
        "refunds": {"data": [{"id": made.refund_id, "amount": 3000, "status": "succeeded"}]},
    }

    assert (
        fake_stripe.post_webhook(client, fake_stripe.event("charge.refunded", charge)).status_code
        == 200
    )

    assert StripeRefund.objects.count() == 1
    assert order.sources.get().amount_refunded == Decimal("30.00")


@pytest.mark.parametrize(
    ("amounts", "code"),
    [
        (["100.01"], "stripe_refund_exceeds_paid"),
        (["60.00", "40.01"], "stripe_refund_exceeds_paid"),
        (["0"], "stripe_refund_amount_invalid"),
        (["-5"], "stripe_refund_amount_invalid"),
        (["1.005"], "stripe_refund_amount_invalid"),
    ],
)
def test_a_refund_beyond_what_was_paid_or_malformed_is_refused(order, paid, amounts, code):
    *earlier, last = amounts
    for i, amount in enumerate(earlier):
        refund(order, amount, key=f"earlier-{i}")
    before = (StripeRefund.objects.count(), len(fake_stripe.refunds_of(paid["id"])))

    with pytest.raises(DomainError) as refused:
        refund(order, last, key="last")

    assert refused.value.code == code
    assert (StripeRefund.objects.count(), len(fake_stripe.refunds_of(paid["id"]))) == before


def test_an_unpaid_order_cannot_be_refunded_to_a_card(order):
    with pytest.raises(DomainError) as refused:
        refund(order, "10.00")
    assert refused.value.code == "stripe_refund_not_paid"
    assert not StripeRefund.objects.exists()
