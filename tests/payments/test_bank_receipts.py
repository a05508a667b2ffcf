"""Staff book bank transfers receipt by receipt (issue 11, platform staff):
the bank's serial number and the amount that arrived, never the order number
and the whole total."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from oscar.apps.order.signals import order_status_changed
from oscar.core.loading import get_model

from common.exceptions import DomainError
from payments.exceptions import NoBankTransferSource
from payments.models import BankReceipt, BankRefundStatus, BankTransferRefund
from payments.rules import bank_reference_normalised, order_status_change_refusal
from payments.selectors import order_bank_transfer_figures
from payments.services import bank_receipt_record, bank_transfer_refund_settle
from tests.factories import StaffUserFactory, bank_transfer_order, place_order, product_with_stock

PaymentEvent = get_model("order", "PaymentEvent")
Transaction = get_model("payment", "Transaction")

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def staff():
    return StaffUserFactory()


@pytest.fixture
def order():
    # Two of a ¥50.00 product: ¥100.00.
    return bank_transfer_order(product_with_stock(price=Decimal("50.00"), stock=10))


@pytest.fixture
def paid_signals():
    seen = []

    def receiver(sender, order, old_status, new_status, **kwargs):
        seen.append((order.number, old_status, new_status))

    order_status_changed.connect(receiver, dispatch_uid="test_paid_signals")
    yield seen
    order_status_changed.disconnect(dispatch_uid="test_paid_signals")


def record(order, staff, reference="BOC20260101001", amount="100.00", received_on=None, **kw):
    return bank_receipt_record(
        order_id=order.pk,
        actor=staff,
        reference=reference,
        amount=Decimal(amount),
        received_on=received_on or TODAY(),
        **kw,
    )


def state(order):
    """Everything a refused receipt must leave as it was."""
    order.refresh_from_db()
    source = order.sources.get()
    return (
        order.status,
        source.amount_debited,
        source.amount_refunded,
        BankReceipt.objects.count(),
        PaymentEvent.objects.count(),
        Transaction.objects.count(),
        BankTransferRefund.objects.count(),
        order.status_changes.count(),
    )


def test_a_partial_receipt_is_booked_under_the_bank_serial_and_the_order_keeps_waiting(
    order, staff, paid_signals
):
    receipt = record(order, staff, reference=" boc 2026 0101 001 ", amount="40.00", note="网银")

    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PENDING_PAYMENT
    assert receipt.reference == "BOC20260101001"
    assert receipt.note == "网银"
    source = order.sources.get()
    assert source.amount_debited == Decimal("40.00")
    debit = source.transactions.get(txn_type="Debit")
    assert (debit.amount, debit.reference) == (Decimal("40.00"), "BOC20260101001")
    event = order.payment_events.get()
    assert (event.amount, event.reference) == (Decimal("40.00"), "BOC20260101001")
    assert receipt.payment_event == event
    figures = order_bank_transfer_figures(order=order)
    assert (figures.total, figures.received, figures.outstanding) == (
        Decimal("100.00"),
        Decimal("40.00"),
        Decimal("60.00"),
    )
    assert not BankTransferRefund.objects.exists()
    assert paid_signals == []


def test_receipts_reaching_the_total_make_the_order_paid_exactly_once(order, staff, paid_signals):
    record(order, staff, reference="A1", amount="40.00")
    record(order, staff, reference="A2", amount="60.00")
    record(order, staff, reference="A3", amount="5.00")  # paid twice by mistake

    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PAID
    assert {line.status for line in order.lines.all()} == {settings.ORDER_STATUS_PAID}
    assert paid_signals == [(order.number, "pending_payment", "paid")]
    assert list(order.status_changes.values_list("new_status", flat=True)) == ["paid"]
    assert order.notes.filter(user=staff, message__contains="100.00").count() == 1
    assert BankTransferRefund.objects.get().amount == Decimal("5.00")


def test_an_exact_receipt_pays_the_order_and_owes_nothing(order, staff):
    record(order, staff, amount="100.00")

    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PAID
    figures = order_bank_transfer_figures(order=order)
    assert (figures.received, figures.outstanding, figures.refund_owed) == (
        Decimal("100.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert not BankTransferRefund.objects.exists()


def test_an_overpayment_pays_the_order_and_the_excess_is_owed_back(order, staff):
    record(order, staff, reference="P1", amount="30.00")
    receipt = record(order, staff, reference="P2", amount="100.00")

    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PAID
    refund = BankTransferRefund.objects.get()
    assert (refund.receipt, refund.order, refund.amount, refund.status) == (
        receipt,
        order,
        Decimal("30.00"),
        BankRefundStatus.OWED,
    )
    figures = order_bank_transfer_figures(order=order)
    assert (figures.received, figures.outstanding, figures.refund_owed) == (
        Decimal("130.00"),
        Decimal("0.00"),
        Decimal("30.00"),
    )


def test_staff_settle_an_owed_refund_with_its_bank_reference_once(order, staff):
    record(order, staff, amount="120.00", received_on=TODAY())
    refund = BankTransferRefund.objects.get()

    bank_transfer_refund_settle(
        refund_id=refund.pk, actor=staff, reference="rf 001", refunded_on=TODAY()
    )

    refund.refresh_from_db()
    assert (refund.status, refund.reference, refund.refunded_on, refund.settled_by) == (
        BankRefundStatus.SETTLED,
        "RF001",
        TODAY(),
        staff,
    )
    source = order.sources.get()
    assert source.amount_refunded == Decimal("20.00")
    assert source.transactions.get(txn_type="Refund").reference == "RF001"
    figures = order_bank_transfer_figures(order=order)
    assert (figures.refund_owed, figures.refunded) == (Decimal("0.00"), Decimal("20.00"))

    with pytest.raises(DomainError) as again:
        bank_transfer_refund_settle(
            refund_id=refund.pk, actor=staff, reference="RF002", refunded_on=TODAY()
        )
    assert again.value.code == "bank_refund_already_settled"
    assert order.sources.get().amount_refunded == Decimal("20.00")


@pytest.mark.parametrize(
    ("reference", "refunded_on", "code"),
    [
        ("", 0, "bank_refund_reference_required"),
        ("X" * 65, 0, "bank_refund_reference_required"),
        ("RF1", 1, "bank_refund_date_in_future"),
        ("RF1", -1, "bank_refund_date_before_receipt"),
    ],
)
def test_a_refund_settlement_is_refused_with_its_code_and_changes_nothing(
    order, staff, reference, refunded_on, code
):
    record(order, staff, amount="120.00", received_on=TODAY())
    refund = BankTransferRefund.objects.get()
    before = state(order)

    with pytest.raises(DomainError) as refused:
        bank_transfer_refund_settle(
            refund_id=refund.pk,
            actor=staff,
            reference=reference,
            refunded_on=TODAY() + datetime.timedelta(days=refunded_on),
        )

    assert refused.value.code == code
    assert state(order) == before
    refund.refresh_from_db()
    assert refund.status == BankRefundStatus.OWED


def test_the_same_bank_serial_is_booked_once_whatever_its_spacing_or_order(order, staff):
    record(order, staff, reference="ICBC-778899", amount="40.00")
    other = bank_transfer_order(product_with_stock(price=Decimal("10.00")), number="100002")
    before = state(order), state(other)

    for target, reference in [
        (order, "ICBC-778899"),
        (order, "icbc-778899 "),
        (other, " ICBC-7788 99"),
    ]:
        with pytest.raises(DomainError) as refused:
            record(target, staff, reference=reference, amount="40.00")
        assert refused.value.code == "bank_receipt_duplicate"
        assert order.number in str(refused.value)

    assert (state(order), state(other)) == before


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"reference": "  "}, "bank_reference_required"),
        ({"reference": "X" * 65}, "bank_reference_too_long"),
        ({"amount": "-10.00"}, "bank_receipt_amount_invalid"),
        ({"amount": "0"}, "bank_receipt_amount_invalid"),
        ({"amount": "10.005"}, "bank_receipt_amount_invalid"),
        ({"amount": "10000000000"}, "bank_receipt_amount_invalid"),
        ({"received_on": 1}, "bank_receipt_date_in_future"),
        ({"received_on": -1}, "bank_receipt_date_before_order"),
    ],
)
def test_a_bad_receipt_is_refused_with_its_code_and_changes_nothing(order, staff, changes, code):
    before = state(order)
    kwargs = {"reference": "B1", "amount": "50.00", "received_on": 0, **changes}
    kwargs["received_on"] = TODAY() + datetime.timedelta(days=kwargs["received_on"])

    with pytest.raises(DomainError) as refused:
        record(order, staff, **kwargs)

    assert refused.value.code == code
    assert state(order) == before


def test_a_cancelled_order_takes_no_receipt(order, staff):
    order.set_status(settings.ORDER_STATUS_CANCELLED)
    before = state(order)

    with pytest.raises(DomainError) as refused:
        record(order, staff)

    assert refused.value.code == "bank_receipt_order_cancelled"
    assert state(order) == before


def test_an_order_not_paid_by_bank_transfer_takes_no_receipt(staff):
    order = place_order(product_with_stock())

    with pytest.raises(NoBankTransferSource):
        record(order, staff)

    assert not BankReceipt.objects.exists()
    assert order_bank_transfer_figures(order=order) is None


def test_staff_may_not_mark_a_bank_transfer_order_paid_by_hand(order):
    refusal = order_status_change_refusal(order, settings.ORDER_STATUS_PAID)

    assert refusal.code == "paid_only_through_receipts"
    assert order.number in str(refusal)
    assert order_status_change_refusal(order, settings.ORDER_STATUS_CANCELLED) is None
    assert (
        order_status_change_refusal(place_order(product_with_stock(), number="9"), "paid") is None
    )


def test_bank_serials_compare_without_spaces_or_case():
    assert bank_reference_normalised(" ab 12\t3\n") == "AB123"
