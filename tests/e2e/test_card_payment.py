"""A guest pays by card in Chromium through Stripe.js — localstripe's
stand-in, loaded from the URL the STRIPE_JS_URL setting names, under the card
page's Content-Security-Policy: a declined card first, then a card that asks
for 3-D Secure, passed in its dialog; the one order ends paid (issue 13)."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from oscar.core.loading import get_model
from playwright.sync_api import Page, expect

from payments.models import StripePayment, StripePaymentStatus
from tests.factories import product_with_stock
from tests.support import stripe as fake_stripe

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def checkout_as_guest_by_card(page: Page, product) -> None:
    page.goto(product.get_absolute_url())
    page.locator('form[action*="/basket/add/"] button[type=submit]').click()
    expect(page.locator(".alert-success").first).to_contain_text(product.title)
    page.goto("/checkout/")
    page.locator('input[name="username"]').fill("guest@example.com")
    page.locator('input[name="options"][value="anonymous"]').check()
    page.locator('form:has(input[name="username"]) button[type=submit]').click()

    expect(page).to_have_url(re.compile(r"/checkout/shipping-address/$"))
    form = page.locator("#new_shipping_address")
    form.locator('input[name="last_name"]').fill("王小明")
    form.locator('input[name="phone_number"]').fill("13800138000")
    form.locator('select[name="province"]').select_option(label="陕西省")
    city = form.locator('select[name="city"]')
    expect(city.locator("option", has_text="商洛市")).to_have_count(1)
    city.select_option(label="商洛市")
    county = form.locator('select[name="county"]')
    expect(county.locator("option", has_text="柞水县")).to_have_count(1)
    county.select_option(label="柞水县")
    form.locator('input[name="line1"]').fill("乾佑街道 幸福小区 3 号楼 2 单元 501")
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/checkout/payment-details/$"))
    page.locator("#pm-stripe-card").check()
    page.locator("#view_preview").click()
    expect(page).to_have_url(re.compile(r"/checkout/preview/$"))
    expect(page.locator("#chosen-payment-method")).to_contain_text("银行卡在线支付")
    page.locator("#place-order").click()


def enter_card(page: Page, number: str) -> None:
    element = page.locator("#stripe-card-element")
    element.locator('input[placeholder="number"]').fill(number)
    element.locator('input[placeholder="exp_month"]').fill("12")
    element.locator('input[placeholder="exp_year"]').fill("34")
    element.locator('input[placeholder="cvc"]').fill("123")
    element.locator('input[placeholder="postal_code"]').fill("71140")
    page.locator("#stripe-pay-button").click()


def test_a_guest_pays_by_card_after_a_decline_and_3d_secure(page: Page, stripe_on, csp_violations):
    product = product_with_stock(price=Decimal("39.90"), stock=5, title="柞水黑木耳 250g")

    checkout_as_guest_by_card(page, product)

    order = Order.objects.get()
    expect(page).to_have_url(re.compile(rf"/payments/stripe/pay/{order.number}/$"))
    expect(page.locator("#stripe-amount")).to_contain_text("39.90")
    assert order.status == settings.ORDER_STATUS_PENDING_PAYMENT
    assert StockRecord.objects.get(product=product).num_allocated == 1

    enter_card(page, fake_stripe.CARD_DECLINED)
    expect(page.locator("#stripe-card-error")).to_contain_text("换一张卡")
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PENDING_PAYMENT

    enter_card(page, fake_stripe.CARD_3DS)
    # localstripe's Stripe.js stands in for the bank's 3-D Secure page.
    page.get_by_role("button", name="Complete authentication").click()

    expect(page).to_have_url(re.compile(r"/checkout/thank-you/$"))
    expect(page.locator(".alert-success").first).to_contain_text("付款成功")
    expect(page.locator("#stripe-card-status")).to_contain_text("已付款")
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PAID
    assert Order.objects.count() == 1
    statuses = list(
        StripePayment.objects.filter(order=order).order_by("pk").values_list("status", flat=True)
    )
    assert statuses == [StripePaymentStatus.CANCELLED, StripePaymentStatus.SUCCEEDED]
    assert order.payment_events.count() == 1
    assert csp_violations == []
