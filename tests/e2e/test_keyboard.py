"""Keyboard use of the storefront (issue 16): the province → city → county
selects stepped through with arrow keys end on the right cities, the header
search box is a combobox that arrow keys and Enter drive, and a whole purchase
can be made with Tab, Shift+Tab, Enter, Space and arrow keys alone, with focus
always visible and never trapped."""

import re
from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import Page, expect

from tests.factories import UserFactory, county, product_with_stock
from tests.support.browser import sign_in

Order = get_model("order", "Order")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STEPS = 4  # provinces stepped over with ArrowDown before 陕西省
ROUNDS = 4


def regions() -> None:
    """Four provinces before 陕西省 in code order, each with a city, and two of
    陕西省's cities."""
    for code in ("510104", "520102", "530102", "540102", "611026", "610102"):
        county(code)


def province_names(page: Page) -> list[str]:
    return page.locator('select[name="province"]').evaluate(
        "select => [...select.options].map(o => o.text)"
    )


def city_names(page: Page) -> list[str]:
    return page.locator('select[name="city"]').evaluate(
        "select => [...select.options].slice(1).map(o => o.text)"
    )


def test_arrow_keys_through_provinces_end_on_the_right_cities(page: Page, csp_violations):
    """Replies for the provinces passed over are held back and answered only
    after the last one (as a slow network may): the cities shown must still be
    those of the province chosen, every round."""
    regions()
    sign_in(page, UserFactory())
    page.goto("/producers/apply/")
    names = province_names(page)
    target = names.index("陕西省")
    start = names[target - STEPS]

    held = []
    holding = {"on": False, "target": None}

    def hold_stale(route):
        if holding["on"] and not route.request.url.endswith(
            f"/regions/{holding['target']}/children/"
        ):
            held.append(route)
        else:
            route.continue_()

    page.route(re.compile(r"/regions/\d+/children/$"), hold_stale)
    province = page.locator('select[name="province"]')
    city = page.locator('select[name="city"]')
    holding["target"] = province.locator("option", has_text="陕西省").get_attribute("value")

    for _round in range(ROUNDS):
        province.select_option(label=start)
        expect(city).not_to_have_attribute("aria-busy", "true")
        expect(city.locator("option").nth(1)).to_be_attached()
        holding["on"] = True
        province.focus()
        for _step in range(STEPS):
            page.keyboard.press("ArrowDown")
        expect(province).to_have_value(holding["target"])
        expect(city.locator("option", has_text="商洛市")).to_have_count(1)
        # Now the stale replies arrive, last.
        holding["on"] = False
        for route in held:
            try:
                route.continue_()
            except Exception:  # the page aborted that request: nothing to answer
                pass
        held.clear()
        page.evaluate("() => new Promise(resolve => setTimeout(resolve, 400))")
        cities = city_names(page)
        assert "商洛市" in cities and "西安市" in cities, cities
        assert not {"拉萨市", "成都市", "贵阳市", "昆明市"} & set(cities), cities
        expect(city).not_to_have_attribute("aria-busy", "true")
        expect(page.locator(".mkt-region-status")).to_contain_text(f"已载入 {len(cities)} 个城市")
    assert csp_violations == []


def test_an_empty_county_is_refused_with_a_clear_error(page: Page):
    regions()
    sign_in(page, UserFactory())
    page.goto("/producers/apply/")
    page.locator('select[name="province"]').select_option(label="陕西省")
    expect(page.locator('select[name="city"] option', has_text="商洛市")).to_have_count(1)
    # The browser's own check would stop the submit first; the server must also say it.
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    page.locator('form:has(select[name="county"]) button[type=submit]').first.click()
    summary = page.locator(".mkt-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("请选择区县。")
    expect(page.locator("#id_county")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_county")).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_county_error\b")
    )
    expect(page.locator("#id_county_error")).to_contain_text("请选择区县。")
    assert page.title().startswith("错误：")


def test_search_suggestions_are_a_combobox_driven_by_the_keyboard(page: Page, csp_violations):
    product_with_stock(title="柞水黑木耳 250g")
    page.goto("/")
    box = page.locator('header input[name="q"]')
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("muer")
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    expect(listbox).to_have_attribute("role", "listbox")
    option = listbox.get_by_role("option", name="柞水黑木耳 250g")
    expect(option).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    expect(option).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=%E6%9F%9E%E6%B0%B4"))
    expect(page.locator("article.product_pod").first).to_contain_text("柞水黑木耳")

    # Escape closes the list and keeps what was typed.
    page.goto("/")
    box.press_sequentially("muer")
    expect(option).to_be_visible()
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("muer")
    assert csp_violations == []


# --- the keyboard-only purchase ------------------------------------------------

FOCUS_STATE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) { return null; }
    const style = getComputedStyle(el);
    const label = (el.getAttribute('aria-label') || el.innerText || el.value || el.name || '').trim();
    return {
        tag: el.tagName, name: el.getAttribute('name'), id: el.id, label: label.slice(0, 60),
        href: el.getAttribute('href'), type: el.getAttribute('type'),
        form: el.form ? el.form.getAttribute('action') : null,
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        shadow: style.boxShadow !== 'none',
    };
}"""


class Keyboard:
    """Tabs until a wanted element has focus, checking at each stop that focus
    is visible, and that it moves (no trap)."""

    def __init__(self, page: Page, max_tabs: int = 80):
        self.page = page
        self.max_tabs = max_tabs
        self.stops = 0

    def tab_to(self, matches, *, backwards: bool = False) -> dict:
        seen = []
        for _ in range(self.max_tabs):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            self.stops += 1
            state = self.page.evaluate(FOCUS_STATE)
            if state is None:
                seen.append(None)
                continue
            assert state["outline"], f"focus is not visible on {state}"
            key = (state["tag"], state["id"], state["name"], state["href"], state["label"])
            assert not (len(seen) >= 3 and seen[-1] == seen[-2] == key), f"focus trapped on {state}"
            seen.append(key)
            if matches(state):
                return state
        raise AssertionError(f"never reached the element after {self.max_tabs} Tabs: {seen[-10:]}")


def test_a_purchase_with_the_keyboard_alone(page: Page, csp_violations, es_backend, search_index):
    user = UserFactory()
    product = product_with_stock(title="柞水黑木耳 250g", price=Decimal("39.90"), stock=20)
    search_index()
    sign_in(page, user)
    keys = Keyboard(page)
    page.goto("/")

    # The skip link is the first stop.
    first = keys.tab_to(lambda s: True)
    assert first["href"] == "#main", first

    # Search: type in the header box, Enter.
    keys.tab_to(lambda s: s["name"] == "q")
    page.keyboard.type("木耳")
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/"))

    # Skip to the content, then to the product.
    keys.tab_to(lambda s: s["href"] == "#main")
    page.keyboard.press("Enter")
    keys.tab_to(lambda s: (s["href"] or "").startswith(product.get_absolute_url()))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(product.title)

    # Add to basket, then to the basket through the header's link.
    keys.tab_to(lambda s: s["tag"] == "BUTTON" and "/basket/add/" in (s["form"] or ""))
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text(product.title)
    keys.tab_to(lambda s: s["href"] == "/basket/")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/basket/$"))
    keys.tab_to(lambda s: (s["href"] or "").endswith("/checkout/"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/checkout/shipping-address/$"))

    # The address, region selects by arrow keys.
    keys.tab_to(lambda s: s["name"] == "last_name")
    page.keyboard.type("王小明")
    keys.tab_to(lambda s: s["name"] == "phone_number")
    page.keyboard.type("13800138000")
    # Back with Shift+Tab to check the name, then on.
    keys.tab_to(lambda s: s["name"] == "last_name", backwards=True)
    expect(page.locator('input[name="last_name"]')).to_be_focused()
    keys.tab_to(lambda s: s["name"] == "province")
    _arrow_to(page, "province", "陕西省")
    city = page.locator('select[name="city"]')
    expect(city.locator("option", has_text="商洛市")).to_have_count(1)
    keys.tab_to(lambda s: s["name"] == "city")
    _arrow_to(page, "city", "商洛市")
    county = page.locator('select[name="county"]')
    expect(county.locator("option", has_text="柞水县")).to_have_count(1)
    keys.tab_to(lambda s: s["name"] == "county")
    _arrow_to(page, "county", "柞水县")
    keys.tab_to(lambda s: s["name"] == "line1")
    page.keyboard.type("乾佑街道 幸福小区 3 号楼 2 单元 501")
    keys.tab_to(lambda s: s["tag"] == "BUTTON" and s["type"] == "submit")
    page.keyboard.press("Enter")

    # Payment: bank transfer, then the preview and the order.
    expect(page).to_have_url(re.compile(r"/checkout/payment-details/$"))
    keys.tab_to(lambda s: s["id"] == "view_preview")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/checkout/preview/$"))
    keys.tab_to(lambda s: s["id"] == "place-order")
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"/checkout/thank-you/$"))
    order = Order.objects.get()
    assert order.user == user
    assert order.shipping_address.line3 == "柞水县"
    assert csp_violations == []


def _arrow_to(page: Page, name: str, label: str) -> None:
    """Step the focused closed select with arrow keys until ``label`` is chosen."""
    select = page.locator(f'select[name="{name}"]')
    texts = select.evaluate("s => [...s.options].map(o => o.text)")
    current = select.evaluate("s => s.selectedIndex")
    wanted = texts.index(label)
    key = "ArrowDown" if wanted > current else "ArrowUp"
    for _ in range(abs(wanted - current)):
        page.keyboard.press(key)
    expect(select).to_have_js_property("selectedIndex", wanted)
