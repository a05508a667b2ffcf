"""A consumer's whole journey in a real browser: home page → category → product
→ basket → checkout by bank transfer → thank-you page.

The ``live_server`` thread needs committed data, hence transactional tests. Their
teardown flushes every table, including the rows the data migrations created (the
Wagtail home page and its Site, the CN shipping country); ``serialized_rollback``
restores those before each test from the snapshot pytest-django takes at session
start. See conftest.py for why Playwright must start after that restore.
"""

import re
from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import Page, expect

from tests.factories import DEFAULT_PASSWORD, CategoryFactory, UserFactory, product_with_stock

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ORIGIN = "陕西省 商洛市 柞水县"


def browse_to_product_and_add_to_basket(page: Page, product, *, category: str) -> None:
    title = product.title
    page.goto("/")
    # Wagtail's Site is localhost:80, the live server 127.0.0.1:<port>: the
    # default site's home page must answer anyway.
    expect(page.locator(".mkt-hero h1")).to_have_text("买脱贫地区好物，助乡村振兴")
    page.locator(".mkt-categories").get_by_role("link", name=category).click()
    expect(page.locator("h1")).to_contain_text(category)

    card = page.locator("article.product_pod", has_text=title)
    card.locator(f'h3 a[title="{title}"]').click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".mkt-origin__place")).to_contain_text(ORIGIN)
    expect(page.locator(".mkt-producer")).to_contain_text(product.producer.name)

    page.locator('form[action*="/basket/add/"] button[type=submit]').click()
    expect(page.locator(".alert-success").first).to_contain_text(title)

    page.locator('.basket-mini .btn-group > a[href$="/basket/"]').click()
    expect(page).to_have_url(re.compile(r"/basket/$"))
    expect(page.locator("#basket_formset")).to_contain_text(title)
    page.locator('#content_inner a[href$="/checkout/"]').click()


def fill_shipping_address(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/checkout/shipping-address/$"))
    form = page.locator("#new_shipping_address")
    form.locator('input[name="last_name"]').fill("王小明")
    form.locator('input[name="phone_number"]').fill("13800138000")
    # Chained selects: each choice fetches the next level's options.
    form.locator('select[name="province"]').select_option(label="陕西省")
    city = form.locator('select[name="city"]')
    expect(city.locator("option", has_text="商洛市")).to_have_count(1)
    city.select_option(label="商洛市")
    county = form.locator('select[name="county"]')
    expect(county.locator("option", has_text="柞水县")).to_have_count(1)
    county.select_option(label="柞水县")
    form.locator('input[name="line1"]').fill("乾佑街道 幸福小区 3 号楼 2 单元 501")
    form.locator("button[type=submit]").click()


def pay_by_bank_transfer_and_place_order(page: Page) -> str:
    expect(page).to_have_url(re.compile(r"/checkout/payment-details/$"))
    expect(page.locator(".mkt-bank-transfer")).to_contain_text("银行转账")
    page.locator("#view_preview").click()
    expect(page).to_have_url(re.compile(r"/checkout/preview/$"))
    page.locator("#place-order").click()

    expect(page).to_have_url(re.compile(r"/checkout/thank-you/$"))
    instructions = page.locator("#bank-transfer-instructions")
    expect(instructions).to_contain_text("汇款备注")
    order = Order.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(order.number)
    expect(instructions).to_contain_text(order.number)
    return order.number


def test_guest_finds_a_product_by_category_and_orders_it_by_bank_transfer(
    page: Page, csp_violations
):
    product = product_with_stock(
        price=Decimal("39.90"),
        stock=5,
        title="柞水黑木耳 250g",
        categories=[CategoryFactory(name="菌菇干货")],
    )

    browse_to_product_and_add_to_basket(page, product, category="菌菇干货")

    # Gateway: check out as a guest with an email address.
    expect(page).to_have_url(re.compile(r"/checkout/$"))
    page.locator('input[name="username"]').fill("guest@example.com")
    page.locator('input[name="options"][value="anonymous"]').check()
    page.locator('form:has(input[name="username"]) button[type=submit]').click()

    fill_shipping_address(page)
    number = pay_by_bank_transfer_and_place_order(page)

    order = Order.objects.get()
    assert order.number == number
    assert order.status == "pending_payment"
    assert order.guest_email == "guest@example.com"
    assert order.total_incl_tax == Decimal("39.90")
    assert order.shipping_address.line3 == "柞水县"
    stock = StockRecord.objects.get(product=product)
    assert (stock.num_in_stock, stock.num_allocated) == (5, 1)
    # Home, category, product, basket, checkout gateway, shipping address with
    # its region selects, payment, preview and thank-you page: all ran under
    # the strict Content-Security-Policy without a single violation.
    assert csp_violations == []


def test_registered_user_signs_in_orders_and_finds_the_order_in_their_history(
    page: Page, csp_violations
):
    user = UserFactory()
    product = product_with_stock(
        price=Decimal("128.00"), title="洛南核桃 1kg", categories=[CategoryFactory(name="坚果炒货")]
    )

    page.goto("/accounts/login/")
    page.locator('input[name="login-username"]').fill(user.email)
    page.locator('input[name="login-password"]').fill(DEFAULT_PASSWORD)
    page.locator('form:has(input[name="login-username"]) button[type=submit]').click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    browse_to_product_and_add_to_basket(page, product, category="坚果炒货")
    fill_shipping_address(page)
    number = pay_by_bank_transfer_and_place_order(page)

    assert Order.objects.get(number=number).user == user
    page.goto("/accounts/orders/")
    expect(page.get_by_role("link", name=number, exact=True)).to_have_attribute(
        "href", f"/accounts/orders/{number}/"
    )

    # Signing out is a posted form in the navigation.
    page.locator("#logout_form button[type=submit]").click()
    expect(page.locator("#login_link")).to_be_visible()
    assert csp_violations == []


def test_search_suggestions_work_under_the_content_security_policy(page: Page, csp_violations):
    product_with_stock(title="柞水黑木耳 250g")

    page.goto("/")
    page.locator('input[name="q"]').press_sequentially("木耳")
    expect(page.locator('#search-suggestions [role="option"]').first).to_have_text(
        "柞水黑木耳 250g"
    )
    assert csp_violations == []


def test_a_blocked_inline_script_is_reported(page: Page, csp_violations):
    """The watcher itself: an inline handler on a page is refused and reported."""
    page.goto("/")
    with page.expect_console_message(lambda message: "CSP violation" in message.text):
        page.evaluate(
            "document.body.setAttribute('onclick', 'window.inlineRan = true');"
            " document.body.click()"
        )
    assert page.evaluate("window.inlineRan") is None
    assert any("script-src" in violation for violation in csp_violations), csp_violations
