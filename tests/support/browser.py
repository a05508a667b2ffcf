"""What the browser tests share: how long to wait, where pictures go, and
signing in as a user made by the factories."""

import re
from pathlib import Path

DEFAULT_TIMEOUT_MS = 10_000
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"


def sign_in(page, user) -> None:
    """Sign ``user`` in through the login form, in a context of its own cookies."""
    from playwright.sync_api import expect

    from tests.factories import DEFAULT_PASSWORD

    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator('input[name="login-username"]').fill(user.email)
    page.locator('input[name="login-password"]').fill(DEFAULT_PASSWORD)
    page.locator('form:has(input[name="login-username"]) button[type=submit]').click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def fill_shipping_address(page) -> None:
    """Fill the checkout's new shipping address with an address in 柞水县 and go on."""
    from playwright.sync_api import expect

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


def enter_card(page, number: str) -> None:
    """Type a card into localstripe's Stripe.js card element and pay."""
    element = page.locator("#stripe-card-element")
    element.locator('input[placeholder="number"]').fill(number)
    element.locator('input[placeholder="exp_month"]').fill("12")
    element.locator('input[placeholder="exp_year"]').fill("34")
    element.locator('input[placeholder="cvc"]').fill("123")
    element.locator('input[placeholder="postal_code"]').fill("71140")
    page.locator("#stripe-pay-button").click()
