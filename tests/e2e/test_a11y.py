"""The axe-core audit (WCAG 2.1 A and AA) of the main pages, at desktop and
phone width, in Chinese and in English: no critical or serious violation.

Each run writes its table of violations per page to
test-results/a11y-<width>-<language>.txt and prints it, so the figures before
and after a change can be compared (README, "Accessibility")."""

import json
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from oscar.core.loading import get_model
from playwright.sync_api import Page, expect

from procurement.models import ContractStatus
from tests.factories import (
    CategoryFactory,
    UserFactory,
    producer_with_user,
    product_with_stock,
)
from tests.factories.cms import county_page, story_page
from tests.factories.procurement import Team, contract_in_state
from tests.support.axe import axe_violations, blocking, describe
from tests.support.browser import DEFAULT_TIMEOUT_MS, RESULTS_DIR, sign_in

Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
LANGUAGES = ["zh-hans", "en"]


@pytest.fixture
def world(storefront, es_backend, search_index):
    category = CategoryFactory(name="菌菇干货")
    producer, producer_user = producer_with_user()
    product = product_with_stock(
        producer=producer,
        title="柞水黑木耳 250g",
        price=Decimal("39.90"),
        stock=100,
        categories=[category],
    )
    product_with_stock(producer=producer, title="洛南核桃 1kg", categories=[category])
    story = story_page(producer, intro="合作社带动 120 户脱贫户种植木耳。")
    county = county_page(producer)
    team = Team()
    contract = contract_in_state(team, product, 40, ContractStatus.SHIPPED, seller=producer_user)
    buyer = UserFactory()
    UserAddress.objects.create(
        user=buyer,
        last_name="王小明",
        line1="乾佑街道 幸福小区 3 号楼",
        line3="柞水县",
        line4="商洛市",
        state="陕西省",
        postcode="711400",
        country=storefront["country"],
        phone_number="+8613800138000",
    )
    search_index()
    return {
        "category": category,
        "product": product,
        "producer": producer,
        "producer_user": producer_user,
        "story": story,
        "county": county,
        "team": team,
        "contract": contract,
        "buyer": buyer,
    }


class Audit:
    """Runs axe on each page visited and keeps the violations per page."""

    def __init__(self, page: Page, language: str):
        self.page = page
        self.language = language
        self.results: dict[str, list[dict]] = {}

    def __call__(self, name: str, url: str | None = None) -> None:
        if url is not None:
            self.page.goto(url)
        self.page.wait_for_load_state("load")
        lang = self.page.evaluate("document.documentElement.lang")
        assert lang.lower() == self.language, f"{name} is in {lang!r}, not {self.language!r}"
        self.results[name] = axe_violations(self.page)

    def table(self, title: str) -> str:
        lines = [title, f"{'page':<24}{'critical':>9}{'serious':>9}{'moderate':>9}{'minor':>7}"]
        for name, violations in self.results.items():
            counts = {impact: 0 for impact in ("critical", "serious", "moderate", "minor")}
            for v in violations:
                counts[v["impact"]] += len(v["targets"])
            lines.append(
                f"{name:<24}{counts['critical']:>9}{counts['serious']:>9}"
                f"{counts['moderate']:>9}{counts['minor']:>7}"
            )
        details = [describe(name, blocking(v)) for name, v in self.results.items() if blocking(v)]
        return "\n".join(lines + details)


def new_page(browser, live_server, viewport, language) -> Page:
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport=viewport,
        is_mobile=viewport["width"] < 500,
        has_touch=viewport["width"] < 500,
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    choose_language(context, live_server, language)
    return context.new_page()


def choose_language(context, live_server, language) -> None:
    host = re.sub(r"^https?://([^:/]+).*$", r"\1", live_server.url)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}]
    )


def checkout_by_bank_transfer(page: Page, audit: Audit, product) -> str:
    page.goto(product.get_absolute_url())
    page.locator('form[action*="/basket/add/"] button[type=submit]').click()
    expect(page.locator("#messages .alert-success").first).to_be_visible()
    audit("basket", reverse("basket:summary"))
    page.goto(reverse("checkout:index"))
    expect(page).to_have_url(re.compile(r"/checkout/shipping-address/$"))
    audit("checkout-address")
    form = page.locator("#new_shipping_address")
    form.locator('input[name="last_name"]').fill("王小明")
    form.locator('input[name="phone_number"]').fill("13800138000")
    form.locator('select[name="province"]').select_option(value=_value(form, "province", "陕西"))
    city = form.locator('select[name="city"]')
    expect(city.locator("option", has_text="商洛")).to_have_count(1)
    city.select_option(value=_value(form, "city", "商洛"))
    county = form.locator('select[name="county"]')
    expect(county.locator("option", has_text="柞水")).to_have_count(1)
    county.select_option(value=_value(form, "county", "柞水"))
    form.locator('input[name="line1"]').fill("乾佑街道 幸福小区 3 号楼 2 单元 501")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/checkout/payment-details/$"))
    audit("checkout-payment")
    page.locator("#view_preview").click()
    expect(page).to_have_url(re.compile(r"/checkout/preview/$"))
    audit("checkout-preview")
    page.locator("#place-order").click()
    expect(page).to_have_url(re.compile(r"/checkout/thank-you/$"))
    audit("order-confirmation")
    return Order.objects.latest("pk").number


def _value(form, name: str, text: str) -> str:
    """The value of the option whose text contains ``text``."""
    return form.locator(f'select[name="{name}"]').evaluate(
        "(select, text) => [...select.options].find(o => o.text.includes(text)).value", text
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", list(WIDTHS))
def test_main_pages_have_no_critical_or_serious_violations(
    browser, live_server, world, width, language
):
    viewport = WIDTHS[width]
    results: dict[str, list[dict]] = {}

    page = new_page(browser, live_server, viewport, language)
    audit = Audit(page, language)
    audit("home", "/")
    audit("category", world["category"].get_absolute_url())
    audit("catalogue", reverse("catalogue:index"))
    audit("product", world["product"].get_absolute_url())
    audit("search", reverse("search:search") + "?q=木耳")
    audit("login", reverse("customer:login"))
    audit("registration", reverse("customer:register"))
    audit("story", world["story"].url)
    audit("county", world["county"].url)
    results.update(audit.results)
    page.context.close()

    page = new_page(browser, live_server, viewport, language)
    audit = Audit(page, language)
    sign_in(page, world["buyer"])
    choose_language(page.context, live_server, language)  # sign_in clears the cookies
    number = checkout_by_bank_transfer(page, audit, world["product"])
    audit("order-history", reverse("customer:order-list"))
    audit("order-detail", reverse("customer:order", args=[number]))
    audit("producer-application", reverse("producers:apply"))
    results.update(audit.results)
    page.context.close()

    page = new_page(browser, live_server, viewport, language)
    audit = Audit(page, language)
    sign_in(page, world["producer_user"])
    choose_language(page.context, live_server, language)
    producer = world["producer"]
    audit("workspace-products", reverse("producers:workspace-products", args=[producer.pk]))
    audit(
        "workspace-product-edit",
        reverse("producers:workspace-product-edit", args=[producer.pk, world["product"].pk]),
    )
    results.update(audit.results)
    page.context.close()

    page = new_page(browser, live_server, viewport, language)
    audit = Audit(page, language)
    sign_in(page, world["team"].purchaser)
    choose_language(page.context, live_server, language)
    audit("unit-dashboard", reverse("procurement:dashboard", args=[world["team"].organisation.pk]))
    audit("contract", reverse("procurement:contract-detail", args=[world["contract"].pk]))
    results.update(audit.results)
    page.context.close()

    audit.results = results
    report = audit.table(f"axe {width} {language}")
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / f"a11y-{width}-{language}.txt").write_text(report + "\n", encoding="utf-8")
    (RESULTS_DIR / f"a11y-{width}-{language}.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print(report)
    failing = {name: blocking(v) for name, v in results.items() if blocking(v)}
    assert not failing, "critical or serious accessibility violations:\n" + report
