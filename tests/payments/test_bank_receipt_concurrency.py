"""Two staff book receipts at the same moment: real threads on PostgreSQL,
each with its own connection, meet at a barrier."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from oscar.core.loading import get_model

from payments.exceptions import BankReceiptDuplicate
from payments.models import BankReceipt, BankTransferRefund
from payments.services import bank_receipt_record
from tests.factories import StaffUserFactory, bank_transfer_order, product_with_stock
from tests.support.threads import run_concurrently

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db(transaction=True)


def receipt(order, staff, reference, amount):
    def work():
        return bank_receipt_record(
            order_id=order.pk,
            actor=staff,
            reference=reference,
            amount=Decimal(amount),
            received_on=timezone.localdate(),
        )

    return work


def test_two_receipts_at_once_for_one_order_end_in_consistent_totals():
    assert connection.vendor == "postgresql"
    order = bank_transfer_order(product_with_stock(price=Decimal("50.00"), stock=10))
    staff = StaffUserFactory()

    outcomes = run_concurrently(
        [receipt(order, staff, "T1", "60.00"), receipt(order, staff, "T2", "60.00")]
    )

    assert all(isinstance(o, BankReceipt) for o in outcomes), outcomes
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PAID
    assert list(order.status_changes.values_list("new_status", flat=True)) == ["paid"]
    source = order.sources.get()
    assert source.amount_debited == Decimal("120.00")
    assert order.payment_events.count() == 2
    # Whichever came second crossed the total: ¥20 of it is owed back.
    refund = BankTransferRefund.objects.get()
    assert refund.amount == Decimal("20.00")


def test_one_bank_serial_booked_at_once_for_two_orders_is_booked_once():
    product = product_with_stock(price=Decimal("50.00"), stock=10)
    first = bank_transfer_order(product, number="100001")
    second = bank_transfer_order(product, number="100002")
    staff = StaffUserFactory()

    outcomes = run_concurrently(
        [receipt(first, staff, "SAME-1", "100.00"), receipt(second, staff, "SAME-1", "100.00")]
    )

    assert sum(isinstance(o, BankReceipt) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, BankReceiptDuplicate) for o in outcomes) == 1, outcomes
    assert BankReceipt.objects.count() == 1
    debited = sorted(
        Order.objects.get(pk=o.pk).sources.get().amount_debited for o in (first, second)
    )
    assert debited == [Decimal("0.00"), Decimal("100.00")]
