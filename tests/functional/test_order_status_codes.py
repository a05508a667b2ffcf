"""Oscar order statuses were stored as Chinese display words; the data migration
turns them into the pipeline's ASCII codes in place, and back."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from oscar.core.loading import get_model

from tests.factories import UserFactory

Order = get_model("order", "Order")
Line = get_model("order", "Line")
OrderStatusChange = get_model("order", "OrderStatusChange")

migration = importlib.import_module("payments.migrations.0001_order_statuses_as_codes")

pytestmark = pytest.mark.django_db


def _order(status: str) -> "Order":
    return Order.objects.create(
        number=f"T{Order.objects.count() + 1:06d}",
        user=UserFactory(),
        currency="CNY",
        total_incl_tax=Decimal("10.00"),
        total_excl_tax=Decimal("10.00"),
        status=status,
    )


def test_stored_chinese_statuses_become_codes_and_back():
    pending, paid = _order("待付款"), _order("已付款")
    Line.objects.create(
        order=pending,
        title="木耳",
        quantity=1,
        line_price_incl_tax=Decimal("10.00"),
        line_price_excl_tax=Decimal("10.00"),
        line_price_before_discounts_incl_tax=Decimal("10.00"),
        line_price_before_discounts_excl_tax=Decimal("10.00"),
        num_allocated=0,
        status="待付款",
    )
    OrderStatusChange.objects.create(order=paid, old_status="待付款", new_status="已付款")

    migration.forwards(apps, None)

    pending.refresh_from_db()
    paid.refresh_from_db()
    assert (pending.status, paid.status) == ("pending_payment", "paid")
    assert pending.lines.get().status == "pending_payment"
    change = paid.status_changes.get()
    assert (change.old_status, change.new_status) == ("pending_payment", "paid")

    migration.backwards(apps, None)
    pending.refresh_from_db()
    assert pending.status == "待付款"


def test_every_status_in_the_pipeline_is_an_ascii_code_with_a_label():
    statuses = set(settings.OSCAR_ORDER_STATUS_PIPELINE) | {settings.OSCAR_INITIAL_ORDER_STATUS}
    for status in statuses:
        assert status.isascii()
        assert status in settings.ORDER_STATUS_LABELS
    assert set(migration.WORDS_TO_CODES.values()) == set(settings.ORDER_STATUS_LABELS)
