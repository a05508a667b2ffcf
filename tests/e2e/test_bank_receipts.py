"""Staff book a bank receipt on the dashboard order page in a real browser
(issue 11, platform staff)."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import (
    DEFAULT_PASSWORD,
    StaffUserFactory,
    bank_transfer_order,
    product_with_stock,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_book_a_partial_then_the_rest_and_the_order_turns_paid(page: Page):
    order = bank_transfer_order(product_with_stock(price=Decimal("50.00"), stock=10))
    staff = StaffUserFactory()
    page.goto("/accounts/login/")
    page.locator('input[name="login-username"]').fill(staff.email)
    page.locator('input[name="login-password"]').fill(DEFAULT_PASSWORD)
    page.locator('form:has(input[name="login-username"]) button[type=submit]').click()
    page.goto(f"/dashboard/orders/{order.number}/")
    today = timezone.localdate().isoformat()

    for reference, amount in [("ICBC0001", "40.00"), ("ICBC0002", "60.00")]:
        form = page.locator("form.mkt-bank-receipt-form")
        form.get_by_label("银行流水号").fill(reference)
        form.get_by_label("到账金额（元）").fill(amount)
        form.get_by_label("到账日期").fill(today)
        form.get_by_role("button", name="登记收款").click()
        expect(page.locator(".alert-success").first).to_contain_text(reference)

    expect(page.locator(".mkt-bank-receipts .mkt-received")).to_have_text("¥100.00")
    expect(page.locator(".mkt-bank-receipts .mkt-outstanding")).to_have_text("¥0.00")
    order.refresh_from_db()
    assert order.status == "paid"
