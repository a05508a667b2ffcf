"""Cancel before shipping (issue 13 item 4): an unpaid order dies at once
(intents cancelled at Stripe, stock released); a paid one is refunded in full
through the one refund service — at localstripe for cards, as a refund owed
for bank transfers that staff settle with the bank's reference."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from oscar.core.loading import get_model

from aftersales.models import CaseKind, CaseStatus
from aftersales.services import case_idempotency_key, order_cancel
from common.exceptions import DomainError
from payments.models import BankRefundKind, BankRefundStatus, StripePayment, StripePaymentStatus
from payments.services import bank_transfer_refund_settle
from tests.factories import (
    StaffUserFactory,
    UserFactory,
    bank_order_paid,
    card_order_paid,
    card_order_unpaid,
    product_with_stock,
    shipped,
)
from tests.support import stripe as fake_stripe

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(db):
    return product_with_stock(price=Decimal("50.00"), stock=10)


def stock(product):
    record = StockRecord.objects.get(product=product)
    return record.num_in_stock, record.num_allocated


def test_an_unpaid_card_order_is_cancelled_at_stripe_and_its_stock_released(stripe_on, product):
    order = card_order_unpaid(product)
    assert stock(product) == (10, 2)
    intent_id = StripePayment.objects.get(order=order).intent_id

    assert order_cancel(order_id=order.pk, actor=order.user) is None

    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_CANCELLED
    assert stock(product) == (10, 0)
    assert fake_stripe.intent(intent_id)["status"] == "canceled"
    assert StripePayment.objects.get(order=order).status == StripePaymentStatus.CANCELLED
    assert not order.aftersales_cases.exists()


def test_a_paid_card_order_is_cancelled_and_refunded_in_full_at_stripe(
    stripe_on, product, mailoutbox, django_capture_on_commit_callbacks
):
    order = card_order_paid(product)

    with django_capture_on_commit_callbacks(execute=True):
        case = order_cancel(order_id=order.pk, actor=order.user, reason="买错了")

    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_CANCELLED
    assert stock(product) == (10, 0)
    assert (case.kind, case.status, case.amount) == (
        CaseKind.CANCEL,
        CaseStatus.REFUNDED,
        Decimal("100.00"),
    )
    refund = case.stripe_refund
    assert refund.idempotency_key == case_idempotency_key(case)
    intent_id = StripePayment.objects.get(order=order, status="succeeded").intent_id
    assert [r["amount"] for r in fake_stripe.refunds_of(intent_id)] == [10000]
    assert order.sources.get().amount_refunded == Decimal("100.00")
    assert [entry.action for entry in case.log.all()] == ["cancel", "refund"]
    refunded_mail = next(m for m in mailoutbox if "100.00" in m.subject)
    assert refunded_mail.to == [order.user.email]
    assert f"/aftersales/cases/{case.pk}/" in refunded_mail.body


def test_a_paid_bank_transfer_order_owes_a_refund_that_staff_settle(product):
    order = bank_order_paid(product)

    case = order_cancel(order_id=order.pk, actor=order.user)

    refund = case.bank_refund
    assert (refund.kind, refund.status, refund.amount, refund.receipt) == (
        BankRefundKind.AFTERSALES,
        BankRefundStatus.OWED,
        Decimal("100.00"),
        None,
    )
    assert refund.aftersales_case == case
    settled = bank_transfer_refund_settle(
        refund_id=refund.pk,
        actor=StaffUserFactory(),
        reference="TK20260301",
        refunded_on=timezone.localdate(),
    )
    assert settled.is_settled
    assert order.sources.get().amount_refunded == Decimal("100.00")


def test_an_overpaid_bank_order_refunds_the_order_total_not_the_overpayment_twice(product):
    order = bank_order_paid(product, amount=Decimal("130.00"))
    assert order.bank_transfer_refunds.get().amount == Decimal("30.00")

    case = order_cancel(order_id=order.pk, actor=order.user)

    assert case.amount == Decimal("100.00")
    assert sorted(order.bank_transfer_refunds.values_list("kind", "amount")) == [
        (BankRefundKind.AFTERSALES, Decimal("100.00")),
        (BankRefundKind.OVERPAYMENT, Decimal("30.00")),
    ]


def test_staff_cancel_too(product):
    order = bank_order_paid(product)

    case = order_cancel(order_id=order.pk, actor=StaffUserFactory())

    assert case.status == CaseStatus.REFUNDED


def test_a_shipped_order_cannot_be_cancelled_and_nothing_changes(product):
    order = shipped(bank_order_paid(product))

    with pytest.raises(DomainError) as refused:
        order_cancel(order_id=order.pk, actor=order.user)

    assert refused.value.code == "aftersales_order_not_cancellable"
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_SHIPPED
    assert not order.bank_transfer_refunds.exists()


def test_someone_elses_order_cannot_be_cancelled(product):
    order = bank_order_paid(product)

    with pytest.raises(DomainError) as refused:
        order_cancel(order_id=order.pk, actor=UserFactory())

    assert refused.value.code == "aftersales_order_not_yours"
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PAID


def test_a_cancelled_order_cannot_be_cancelled_again(product):
    order = bank_order_paid(product)
    order_cancel(order_id=order.pk, actor=order.user)

    with pytest.raises(DomainError) as refused:
        order_cancel(order_id=order.pk, actor=order.user)

    assert refused.value.code == "aftersales_order_not_cancellable"
    assert order.bank_transfer_refunds.count() == 1
