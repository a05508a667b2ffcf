"""A signed-in shopper pays by card in Chromium through localstripe's
Stripe.js stand-in, then cancels the order before it ships from the order
page and sees it refunded; localstripe holds the refund (issue 13 item 4)."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from oscar.core.loading import get_model
from playwright.sync_api import Page, expect

from payments.models import StripePayment, StripePaymentStatus
from tests.factories import UserFactory, product_with_stock
from tests.support import stripe as fake_stripe
from tests.support.browser import enter_card, fill_shipping_address, sign_in

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_shopper_pays_by_card_cancels_before_shipping_and_is_refunded(
    page: Page, stripe_on, csp_violations
):
    product = product_with_stock(price=Decimal("58.00"), stock=5, title="紫阳富硒茶 100g")
    sign_in(page, UserFactory())

    page.goto(product.get_absolute_url())
    page.locator('form[action*="/basket/add/"] button[type=submit]').click()
    expect(page.locator(".alert-success").first).to_contain_text(product.title)
    page.goto("/checkout/")
    expect(page).to_have_url(re.compile(r"/checkout/shipping-address/$"))
    fill_shipping_address(page)
    expect(page).to_have_url(re.compile(r"/checkout/payment-details/$"))
    page.locator("#pm-stripe-card").check()
    page.locator("#view_preview").click()
    page.locator("#place-order").click()
    enter_card(page, fake_stripe.CARD_OK)
    # A signed-in buyer comes back to the order's own page, paid.
    order = Order.objects.get()
    expect(page).to_have_url(re.compile(rf"/accounts/orders/{order.number}/$"))
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PAID

    page.locator("#cancel-reason").fill("地址填错了")
    page.locator("#order-cancel").click()

    expect(page).to_have_url(re.compile(r"/aftersales/cases/\d+/$"))
    expect(page.locator(".mkt-case-status")).to_contain_text("已退款")
    expect(page.locator(".mkt-case-amount")).to_contain_text("58.00")
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_CANCELLED
    assert StockRecord.objects.get(product=product).num_allocated == 0
    intent_id = StripePayment.objects.get(
        order=order, status=StripePaymentStatus.SUCCEEDED
    ).intent_id
    assert [r["amount"] for r in fake_stripe.refunds_of(intent_id)] == [5800]
    page.goto(f"/accounts/orders/{order.number}/")
    expect(page.locator(".mkt-aftersales-cases .mkt-case-status")).to_contain_text("已退款")
    assert csp_violations == []
