"""A shopper on a phone picks a 规格 of a multi-spec listing and adds it to the
basket: the basket holds that variant at its own price. No script is needed for
the choice; the page is checked for sideways scrolling and CSP violations."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import multi_spec_product
from tests.support.browser import DEFAULT_TIMEOUT_MS, RESULTS_DIR
from tests.support.csp import record_csp_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def test_a_shopper_on_a_phone_chooses_a_spec_and_the_basket_takes_it(
    browser, live_server, csp_violations
):
    product = multi_spec_product(
        title="柞水黑木耳",
        specs=[
            ("250g", Decimal("39.90")),
            ("500g", Decimal("72.00")),
            ("礼盒装", Decimal("128.00")),
        ],
        photos=3,
    )
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True
    )
    record_csp_violations(context, csp_violations)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(product.get_absolute_url())
        expect(page.locator("h1")).to_have_text("柞水黑木耳")
        expect(page.locator(".mkt-price-range")).to_contain_text("39.90")
        expect(page.locator(".mkt-price-range")).to_contain_text("128.00")
        expect(page.locator(".mkt-gallery-slide img")).to_have_count(3)
        choice = page.locator(".mkt-variant", has_text="500g")
        choice.scroll_into_view_if_needed()
        expect(choice).to_be_visible()
        choice.click()
        expect(choice.locator("input")).to_be_checked()
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

        page.locator("#add_to_basket_form button[type=submit]").click()
        expect(page.locator(".alert-success").first).to_contain_text("柞水黑木耳（500g）")
        page.goto("/basket/")
        expect(page).to_have_url(re.compile(r"/basket/$"))
        basket = page.locator("#basket_formset")
        expect(basket).to_contain_text("柞水黑木耳（500g）")
        expect(basket).to_contain_text("72.00")
        expect(basket).not_to_contain_text("250g")
        assert csp_violations == []
    finally:
        RESULTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS_DIR / "variant-choice-phone.png"), full_page=True)
        context.close()
