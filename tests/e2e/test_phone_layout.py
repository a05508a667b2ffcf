"""The main pages on a phone (390×844): no horizontal scroll, one hamburger,
the search box in sight without opening a menu, two products a row, the
search filters in a closed drawer, the add-to-basket bar pinned to the bottom
of the product page. Every page is also photographed at phone and desktop width
into test-results/screenshots/ (README, "Browser tests")."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cms.models import HomePage, HomePageFeaturedProduct
from procurement.models import ContractStatus
from tests.factories import DEFAULT_PASSWORD, producer_with_user, product_with_stock
from tests.factories.procurement import Team, contract_in_state
from tests.support.browser import DEFAULT_TIMEOUT_MS, RESULTS_DIR
from tests.support.csp import record_csp_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOTS = RESULTS_DIR / "screenshots"


def new_page(browser, live_server, csp_violations, viewport) -> Page:
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport=viewport,
        is_mobile=viewport is PHONE,
        has_touch=viewport is PHONE,
    )
    record_csp_violations(context, csp_violations)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    return context.new_page()


def sign_in(page: Page, user) -> None:
    page.goto("/accounts/login/")
    page.locator('input[name="login-username"]').fill(user.email)
    page.locator('input[name="login-password"]').fill(DEFAULT_PASSWORD)
    page.locator('form:has(input[name="login-username"]) button[type=submit]').click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def horizontal_overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def visible_togglers(page: Page) -> int:
    return page.evaluate(
        """[...document.querySelectorAll('.navbar-toggler')]
             .filter(el => el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden')
             .length"""
    )


def shoot(page: Page, name: str, width: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)


def strip_rows(page: Page) -> int:
    """How many rows the workspace's section links take (1: a sideways strip)."""
    return page.evaluate(
        """new Set([...document.querySelectorAll('nav.navbar-primary .nav-link')]
             .map(el => Math.round(el.getBoundingClientRect().top))).size"""
    )


def check_phone_page(page: Page, name: str, *, storefront: bool) -> None:
    assert horizontal_overflow(page) <= 0, f"{name} scrolls sideways on a phone"
    assert visible_togglers(page) <= 1, f"{name} shows more than one hamburger"
    if name.startswith("workspace"):
        assert strip_rows(page) == 1, f"{name}: the section links are not one strip"
    if storefront:
        # No menu opened: the search box is in sight.
        expect(page.locator('header input[name="q"]')).to_be_visible()
        expect(page.locator('header input[name="q"]')).to_be_in_viewport()
    shoot(page, name, "phone")


@pytest.fixture
def world(storefront, es_backend, search_index):
    producer, producer_user = producer_with_user()
    products = [
        product_with_stock(producer=producer, price=Decimal("25.00"), stock=1000) for _ in range(4)
    ]
    home = HomePage.objects.get(pk=storefront["site"].root_page_id)
    for order, product in enumerate(products):
        HomePageFeaturedProduct.objects.create(page=home, product=product, sort_order=order)
    team = Team()
    contract = contract_in_state(
        team, products[0], 40, ContractStatus.SHIPPED, seller=producer_user
    )
    search_index()
    unit = team.organisation.pk
    return {
        "product": products[0],
        "producer_user": producer_user,
        "purchaser": team.purchaser,
        "storefront": [
            ("home", "/"),
            ("catalogue", reverse("catalogue:index")),
            ("search", reverse("search:search") + "?q=木耳"),
            ("product", products[0].get_absolute_url()),
            ("basket", reverse("basket:summary")),
        ],
        "workspace": [
            ("workspace-home", reverse("producers:workspace-home", args=[producer.pk])),
            ("workspace-products", reverse("producers:workspace-products", args=[producer.pk])),
            ("workspace-orders", reverse("producers:workspace-orders", args=[producer.pk])),
        ],
        "procurement": [
            ("procurement-unit", reverse("procurement:dashboard", args=[unit])),
            ("procurement-order", reverse("procurement:order-detail", args=[contract.order_id])),
            ("procurement-contract", reverse("procurement:contract-detail", args=[contract.pk])),
            ("procurement-contracts", reverse("procurement:contracts", args=[unit])),
        ],
    }


def test_storefront_on_a_phone(browser, live_server, csp_violations, world):
    page = new_page(browser, live_server, csp_violations, PHONE)
    page.goto(world["product"].get_absolute_url())
    page.locator('form[action*="/basket/add/"] button[type=submit]').click()
    expect(page.locator(".alert-success").first).to_be_visible()

    for name, url in world["storefront"]:
        page.goto(url)
        check_phone_page(page, name, storefront=True)

        if name == "home":
            cards = page.locator(".mkt-featured article.product_pod")
            expect(cards).to_have_count(4)
            tops = [cards.nth(i).bounding_box()["y"] for i in range(3)]
            assert tops[0] == tops[1] < tops[2], f"not two products a row: {tops}"
        if name == "search":
            drawer = page.locator("#mkt-filters")
            expect(page.locator(".mkt-facet").first).to_be_attached()
            expect(drawer).to_be_hidden()
            page.get_by_role("button", name="筛选").click()
            expect(drawer).to_be_visible()
            expect(page.locator(".mkt-facet").first).to_be_visible()
        if name == "product":
            bar = page.locator("#add_to_basket_form")
            expect(bar).to_be_in_viewport()
            box = bar.bounding_box()
            assert box["y"] + box["height"] <= PHONE["height"] + 1
            assert box["y"] > PHONE["height"] / 2, "the buy bar sits at the bottom"
            assert box["width"] >= PHONE["width"] - 1, "the buy bar spans the screen"

    # One toggler opens the menu and the account links together.
    page.goto("/")
    page.locator(".navbar-toggler:visible").click()
    expect(page.locator("#navbarSupportedContent")).to_be_visible()
    expect(page.locator(".account-collapse")).to_be_visible()
    page.context.close()
    assert csp_violations == []


def test_workspace_and_procurement_on_a_phone(browser, live_server, csp_violations, world):
    for user, group in [(world["producer_user"], "workspace"), (world["purchaser"], "procurement")]:
        page = new_page(browser, live_server, csp_violations, PHONE)
        sign_in(page, user)
        for name, url in world[group]:
            page.goto(url)
            check_phone_page(page, name, storefront=group == "procurement")
        page.context.close()
    assert csp_violations == []


def test_screenshots_at_desktop_width(browser, live_server, csp_violations, world):
    page = new_page(browser, live_server, csp_violations, DESKTOP)
    for name, url in world["storefront"]:
        page.goto(url)
        expect(page.locator("#mkt-filters")).to_have_count(
            1 if name in {"catalogue", "search"} else 0
        )
        if name == "search":
            expect(page.locator(".mkt-facet").first).to_be_visible()
        assert horizontal_overflow(page) <= 0, name
        shoot(page, name, "desktop")
    for user, group in [(world["producer_user"], "workspace"), (world["purchaser"], "procurement")]:
        page.context.clear_cookies()
        sign_in(page, user)
        for name, url in world[group]:
            page.goto(url)
            shoot(page, name, "desktop")
    page.context.close()
    assert csp_violations == []
