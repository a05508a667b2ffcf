"""Staff record bank receipts on Oscar's dashboard order page; the buyer sees
what has arrived and what is outstanding."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from payments.models import BankReceipt, BankRefundStatus, BankTransferRefund
from tests.factories import StaffUserFactory, UserFactory, bank_transfer_order, product_with_stock

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def order():
    return bank_transfer_order(product_with_stock(price=Decimal("50.00"), stock=10))


@pytest.fixture
def staff_client(client):
    client.force_login(StaffUserFactory())
    return client


def detail_url(order):
    return reverse("dashboard:order-detail", kwargs={"number": order.number})


def receipt_post(**overrides):
    data = {
        "order_action": "record_bank_receipt",
        "receipt-reference": "CCB 2026 0001",
        "receipt-amount": "40.00",
        "receipt-received_on": TODAY().isoformat(),
        "receipt-note": "",
    }
    data.update(overrides)
    return data


def money_state(order):
    order.refresh_from_db()
    source = order.sources.get()
    return order.status, source.amount_debited, BankReceipt.objects.count()


def test_staff_record_a_partial_receipt_and_the_page_shows_received_and_outstanding(
    staff_client, order, django_assert_max_num_queries
):
    response = staff_client.post(detail_url(order), receipt_post())

    assert response.status_code == 302
    assert response.url.endswith("#bank-receipts")
    assert money_state(order) == ("pending_payment", Decimal("40.00"), 1)
    with django_assert_max_num_queries(60):
        page = staff_client.get(detail_url(order)).content.decode()
    assert "CCB20260001" in page
    assert '<td class="mkt-received">¥40.00</td>' in page
    assert '<td class="mkt-outstanding">¥60.00</td>' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"receipt-reference": ""}, "必需字段"),
        ({"receipt-amount": "abc"}, "输入一个数字。"),
        ({"receipt-amount": "-5"}, "到账金额须大于 0 元"),
        ({"receipt-received_on": "2026-13-45"}, "输入一个有效的日期。"),
        ({"receipt-received_on": "2099-01-01"}, "到账日期不能晚于今天。"),
        ({"receipt-received_on": "2000-01-01"}, "到账日期不能早于下单日期"),
    ],
)
def test_a_bad_receipt_form_answers_in_chinese_and_changes_nothing(
    staff_client, order, changes, message
):
    before = money_state(order)

    response = staff_client.post(detail_url(order), receipt_post(**changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert money_state(order) == before


def test_a_double_click_books_the_receipt_once(staff_client, order):
    first = staff_client.post(detail_url(order), receipt_post(**{"receipt-amount": "100.00"}))
    second = staff_client.post(detail_url(order), receipt_post(**{"receipt-amount": "100.00"}))

    assert first.status_code == 302
    assert second.status_code == 200
    assert "已登记在订单" in second.content.decode()
    assert money_state(order) == ("paid", Decimal("100.00"), 1)
    assert order.status_changes.count() == 1


def test_marking_a_bank_transfer_order_paid_by_hand_is_refused_with_the_procedure(
    staff_client, order
):
    page = staff_client.get(detail_url(order)).content.decode()
    assert '<option value="paid">' not in page
    assert '<option value="cancelled">已取消</option>' in page

    response = staff_client.post(
        detail_url(order),
        {"order_action": "change_order_status", "new_status": "paid"},
        follow=True,
    )

    assert "不能直接改为已付款" in response.content.decode()
    assert money_state(order) == ("pending_payment", Decimal("0.00"), 0)
    assert not order.payment_events.exists()


def test_the_bulk_status_change_refuses_paid_for_a_bank_transfer_order(staff_client, order):
    response = staff_client.post(
        reverse("dashboard:order-list"),
        {"action": "change_order_statuses", "new_status": "paid", "selected_order": [order.pk]},
        follow=True,
    )

    assert "不能直接改为已付款" in response.content.decode()
    assert money_state(order) == ("pending_payment", Decimal("0.00"), 0)


def test_staff_settle_an_overpayment_refund_from_the_order_page(staff_client, order):
    staff_client.post(detail_url(order), receipt_post(**{"receipt-amount": "130.00"}))
    refund = BankTransferRefund.objects.get()
    page = staff_client.get(detail_url(order)).content.decode()
    assert '<td class="mkt-refund-owed">¥30.00</td>' in page
    settle = {"order_action": "settle_bank_refund", "refund_id": str(refund.pk)}
    prefix = f"refund-{refund.pk}-"

    refused = staff_client.post(
        detail_url(order),
        {**settle, prefix + "reference": "RF1", prefix + "refunded_on": "2099-01-01"},
    )
    assert refused.status_code == 200
    assert "退款日期不能晚于今天。" in refused.content.decode()
    refund.refresh_from_db()
    assert refund.status == BankRefundStatus.OWED

    settled = staff_client.post(
        detail_url(order),
        {**settle, prefix + "reference": "RF1", prefix + "refunded_on": TODAY().isoformat()},
    )
    assert settled.status_code == 302
    refund.refresh_from_db()
    assert (refund.status, refund.reference) == (BankRefundStatus.SETTLED, "RF1")

    junk = staff_client.post(detail_url(order), {**settle, "refund_id": "x"})
    assert junk.status_code == 404


def test_the_buyer_sees_received_and_outstanding_on_the_order_page(client, order):
    buyer = UserFactory()
    order.user = buyer
    order.save()
    client.force_login(StaffUserFactory())
    client.post(detail_url(order), receipt_post(**{"receipt-amount": "30.00"}))
    client.force_login(buyer)

    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))

    text = page.content.decode()
    assert "已收款" in text and "待付" in text
    assert '<td class="mkt-received">¥30.00</td>' in text
    assert '<td class="mkt-outstanding">¥70.00</td>' in text
    assert order.status == settings.ORDER_STATUS_PENDING_PAYMENT
