"""The buyer hears by e-mail when an order is paid (bank transfer here; card in
test_stripe_checkout) and when each parcel ships, with a link to the order; the
order page shows where to transfer until a bank-transfer order is paid; staff
read payment and refund events by name on Oscar's dashboard order page."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from payments.models import BankTransferRefund
from payments.services import bank_receipt_record, bank_transfer_refund_settle
from tests.factories import StaffUserFactory, UserFactory, bank_transfer_order, product_with_stock
from tests.support.orders import paid_order, ship

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def order_url(order):
    return reverse("customer:order", kwargs={"order_number": order.number})


@pytest.fixture
def buyer():
    return UserFactory(email="buyer@example.com")


@pytest.fixture
def bank_order(buyer):
    order = bank_transfer_order(product_with_stock(price=Decimal("50.00"), stock=10))
    order.user = buyer
    order.save(update_fields=["user"])
    return order


def test_the_buyer_is_told_when_bank_transfers_reach_the_total(
    bank_order, django_capture_on_commit_callbacks
):
    staff = StaffUserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        bank_receipt_record(
            order_id=bank_order.pk, actor=staff, reference="R1", amount="40", received_on=TODAY()
        )
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        bank_receipt_record(
            order_id=bank_order.pk, actor=staff, reference="R2", amount="60", received_on=TODAY()
        )
    assert [(m.subject, m.to) for m in mail.outbox] == [
        (f"订单 {bank_order.number} 已付款", ["buyer@example.com"])
    ]
    assert order_url(bank_order) in mail.outbox[0].body
    # Money arriving after it was paid (an overpayment) sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        bank_receipt_record(
            order_id=bank_order.pk, actor=staff, reference="R3", amount="5", received_on=TODAY()
        )
    assert len(mail.outbox) == 1


def test_the_buyer_is_told_of_each_parcel_with_its_waybill(
    buyer, django_capture_on_commit_callbacks
):
    first, second = product_with_stock(title="柞水木耳"), product_with_stock(title="商南茶叶")
    order = paid_order(buyer, first, second)

    with django_capture_on_commit_callbacks(execute=True):
        ship(order, first.producer, tracking_number="SF1111111111")
    assert [(m.subject, m.to) for m in mail.outbox] == [
        (f"订单 {order.number} 已发货", ["buyer@example.com"])
    ]
    body = mail.outbox[0].body
    assert "SF1111111111" in body and "顺丰" in body
    assert "柞水木耳" in body and "商南茶叶" not in body
    assert order_url(order) in body
    assert "已全部发货" not in body

    with django_capture_on_commit_callbacks(execute=True):
        ship(order, second.producer, tracking_number="SF2222222222")
    assert len(mail.outbox) == 2
    assert "SF2222222222" in mail.outbox[1].body
    assert "已全部发货" in mail.outbox[1].body


def test_the_order_page_shows_the_bank_account_until_the_order_is_paid(
    client, buyer, bank_order, django_assert_max_num_queries
):
    client.force_login(buyer)
    with django_assert_max_num_queries(40):
        page = client.get(order_url(bank_order)).content.decode()
    assert "mkt-bank-account" in page
    assert settings.BANK_TRANSFER_ACCOUNT_NUMBER in page
    assert settings.BANK_TRANSFER_ACCOUNT_NAME in page
    assert f"<code>{bank_order.number}</code>" in page

    bank_receipt_record(
        order_id=bank_order.pk,
        actor=StaffUserFactory(),
        reference="R1",
        amount="100",
        received_on=TODAY(),
    )
    page = client.get(order_url(bank_order)).content.decode()
    assert "mkt-bank-account" not in page
    assert settings.BANK_TRANSFER_ACCOUNT_NUMBER not in page


def test_an_order_not_paid_by_bank_transfer_shows_no_bank_account(client, buyer):
    order = paid_order(buyer, product_with_stock())
    client.force_login(buyer)
    assert "mkt-bank-account" not in client.get(order_url(order)).content.decode()


def test_staff_read_payment_and_refund_events_by_name_on_the_dashboard(
    client, bank_order, django_assert_max_num_queries
):
    staff = StaffUserFactory()
    for reference, amount in (("R1", "40"), ("R2", "80")):
        bank_receipt_record(
            order_id=bank_order.pk,
            actor=staff,
            reference=reference,
            amount=amount,
            received_on=TODAY(),
        )
    bank_transfer_refund_settle(
        refund_id=BankTransferRefund.objects.get().pk,
        actor=staff,
        reference="RF1",
        refunded_on=TODAY(),
    )
    client.force_login(staff)
    url = reverse("dashboard:order-detail", kwargs={"number": bank_order.number})

    with django_assert_max_num_queries(80):
        page = client.get(url).content.decode()
    events = [
        (event.event_type.code, event.amount, event.reference)
        for event in bank_order.payment_events.order_by("pk")
    ]
    assert events == [
        ("paid", Decimal("40.00"), "R1"),
        ("paid", Decimal("80.00"), "R2"),
        ("refunded", Decimal("20.00"), "RF1"),
    ]
    assert page.count('<td class="mkt-payment-event">已到账</td>') == 2
    assert page.count('<td class="mkt-payment-event">已退款</td>') == 1

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url).content.decode()
    assert page.count('<td class="mkt-payment-event">Payment received</td>') == 2
    assert page.count('<td class="mkt-payment-event">Refunded</td>') == 1


def test_the_dashboard_lists_payment_events_in_a_fixed_number_of_queries(
    client, bank_order, django_assert_max_num_queries
):
    staff = StaffUserFactory()
    client.force_login(staff)
    url = reverse("dashboard:order-detail", kwargs={"number": bank_order.number})
    client.get(url)
    for n in range(1, 4):
        bank_receipt_record(
            order_id=bank_order.pk, actor=staff, reference=f"R{n}", amount="10", received_on=TODAY()
        )
    with CaptureQueriesContext(connection) as one_event_more:
        client.get(url)
    bank_receipt_record(
        order_id=bank_order.pk, actor=staff, reference="R9", amount="10", received_on=TODAY()
    )
    with django_assert_max_num_queries(len(one_event_more.captured_queries)):
        client.get(url)
