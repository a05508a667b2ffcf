"""The buyer confirms receipt (确认收货) of a shipped order, or the daily
command does it ORDER_AUTO_CONFIRM_DAYS after the last shipment."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from customer.exceptions import ReceiptOrderNotShipped
from customer.services import order_receipt_confirm, orders_auto_confirm_receipt
from tests.factories import UserFactory, product_with_stock
from tests.support.orders import paid_order, ship, shipped_order

pytestmark = pytest.mark.django_db


def confirm_url(order):
    return reverse("customer:order-receipt-confirm", kwargs={"order_number": order.number})


def statuses(order):
    order.refresh_from_db()
    return order.status, sorted(set(order.lines.values_list("status", flat=True)))


def test_buyer_confirms_receipt_of_a_shipped_order_once(client):
    buyer = UserFactory()
    order = shipped_order(buyer, product_with_stock(), product_with_stock())
    client.force_login(buyer)

    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert confirm_url(order) in page.content.decode()

    response = client.post(confirm_url(order), follow=True)
    assert "已确认收货" in response.content.decode()
    assert statuses(order) == ("complete", ["complete"])
    assert list(order.notes.values_list("message", "user")) == [("买家已确认收货。", buyer.pk)]

    # A double submission changes nothing and says so.
    response = client.post(confirm_url(order), follow=True)
    assert "已经确认收货" in response.content.decode()
    assert order.notes.count() == 1
    assert statuses(order) == ("complete", ["complete"])
    # The button is gone once the order is complete.
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert confirm_url(order) not in page.content.decode()


def test_an_order_not_all_shipped_cannot_be_confirmed(client):
    buyer = UserFactory()
    mine, theirs = product_with_stock(), product_with_stock()
    order = paid_order(buyer, mine, theirs)
    ship(order, mine.producer)
    client.force_login(buyer)

    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert confirm_url(order) not in page.content.decode()
    response = client.post(confirm_url(order), follow=True)
    assert "还没有全部发货" in response.content.decode()
    assert statuses(order) == ("paid", ["paid", "shipped"])

    with pytest.raises(ReceiptOrderNotShipped) as refused:
        order_receipt_confirm(order_id=order.pk, actor=buyer)
    assert refused.value.code == "receipt_order_not_shipped"
    assert not order.notes.exists()


def test_another_user_or_a_visitor_cannot_confirm(client):
    order = shipped_order(UserFactory(), product_with_stock())
    client.force_login(UserFactory())
    assert client.post(confirm_url(order)).status_code == 404
    client.logout()
    response = client.post(confirm_url(order))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("customer:login"))
    assert statuses(order) == ("shipped", ["shipped"])


def test_a_get_changes_nothing(client):
    buyer = UserFactory()
    order = shipped_order(buyer, product_with_stock())
    client.force_login(buyer)
    assert client.get(confirm_url(order)).status_code == 405
    assert statuses(order) == ("shipped", ["shipped"])


def _shipped_days_ago(order, days):
    order.shipping_events.update(date_created=timezone.now() - datetime.timedelta(days=days))


def test_the_daily_command_confirms_orders_shipped_long_enough_ago(settings):
    settings.ORDER_AUTO_CONFIRM_DAYS = 10
    due = shipped_order(UserFactory(), product_with_stock(), number="300001")
    recent = shipped_order(UserFactory(), product_with_stock(), number="300002")
    confirmed = shipped_order(UserFactory(), product_with_stock(), number="300003")
    unshipped = paid_order(UserFactory(), product_with_stock(), number="300004")
    _shipped_days_ago(due, 10)
    _shipped_days_ago(recent, 9)
    _shipped_days_ago(confirmed, 30)
    order_receipt_confirm(order_id=confirmed.pk, actor=confirmed.user)

    out = StringIO()
    call_command("orders_auto_confirm_receipt", stdout=out)
    assert "1 orders" in out.getvalue() and "300001" in out.getvalue()

    assert statuses(due) == ("complete", ["complete"])
    assert due.notes.get().message == "发货后 10 天买家未确认，系统自动确认收货。"
    assert due.notes.get().user is None
    assert statuses(recent) == ("shipped", ["shipped"])
    assert confirmed.notes.count() == 1
    assert statuses(unshipped) == ("paid", ["paid"])
    # Run again: nothing left to confirm.
    assert orders_auto_confirm_receipt() == []


def test_the_wait_counts_from_the_last_shipment(settings):
    settings.ORDER_AUTO_CONFIRM_DAYS = 10
    first, second = product_with_stock(), product_with_stock()
    order = paid_order(UserFactory(), first, second)
    ship(order, first.producer)
    order.shipping_events.update(date_created=timezone.now() - datetime.timedelta(days=20))
    ship(order, second.producer)
    assert orders_auto_confirm_receipt() == []
    order.shipping_events.update(date_created=timezone.now() - datetime.timedelta(days=10))
    assert orders_auto_confirm_receipt() == [order.number]
