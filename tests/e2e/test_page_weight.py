"""Issue 16, weight: on a phone (375 px wide) every storefront page, and the
buyer's and seller's everyday pages, transfer at most 250 KB in at most 30
requests, cold cache, served as in production (compressed manifest static
files through whitenoise, HTML compressed). Bytes are what the browser's
resource timing reports as transferred (headers and compressed bodies) for
the document and everything it loads until the network is idle."""

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import ProductImageFactory, UserFactory, producer_with_user, product_with_stock
from tests.factories.catalogue import CategoryFactory
from tests.factories.orders import place_order
from tests.support.browser import DEFAULT_TIMEOUT_MS, sign_in
from tests.support.page_weight import ProductionLiveServer, collect_production_static

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
# Set to a folder to photograph each page at phone and desktop width, e.g. to
# compare the look before and after a stylesheet rebuild (README, "make css").
SCREENSHOTS = os.environ.get("PAGE_WEIGHT_SCREENSHOTS")
MAX_BYTES = 250 * 1024
MAX_REQUESTS = 30

WEIGHT_JS = """() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    return {
        bytes: nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
        requests: 1 + resources.length,
        largest: resources.map(r => [r.transferSize, r.name.replace(location.origin, '')])
                          .sort((a, b) => b[0] - a[0]).slice(0, 4),
    };
}"""


@pytest.fixture(scope="session")
def production_static_root(django_db_blocker):
    with django_db_blocker.unblock():
        return collect_production_static()


@pytest.fixture
def production_server(production_static_root, storefront):
    server = ProductionLiveServer(production_static_root)
    url = server.start()
    yield url
    server.stop()


@pytest.fixture
def pages(storefront, search_index):
    category = CategoryFactory(name="食用菌")
    producer, producer_user = producer_with_user()
    products = []
    for _ in range(8):
        product = product_with_stock(
            producer=producer, price=Decimal("25.00"), stock=1000, categories=[category]
        )
        ProductImageFactory(product=product)
        products.append(product)
    buyer = UserFactory()
    order = place_order(products[0])
    order.user = buyer
    order.save()
    search_index()
    return {
        "buyer": buyer,
        "producer_user": producer_user,
        "anonymous": [
            ("home", "/"),
            ("category", category.get_absolute_url()),
            ("catalogue", reverse("catalogue:index")),
            ("product", products[0].get_absolute_url()),
            ("search", reverse("search:search") + "?q=木耳"),
            ("basket", reverse("basket:summary")),
            ("login", reverse("customer:login")),
        ],
        "buyer_pages": [("order history", reverse("customer:order-list"))],
        "seller_pages": [
            ("workspace products", reverse("producers:workspace-products", args=[producer.pk])),
        ],
    }


def _weigh(browser, base_url, url, user=None) -> dict:
    """One page in a fresh context (cold cache), signed in as ``user`` first."""
    context = browser.new_context(
        base_url=base_url, locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS * 3)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS * 3)
    try:
        page = context.new_page()
        if user is not None:
            sign_in(page, user)
            # The sign-in pages' files are in the cache now: weigh with it empty.
            session = page.context.new_cdp_session(page)
            session.send("Network.clearBrowserCache")
        response = page.goto(url, wait_until="networkidle")
        assert response.status == 200, f"{url} answered {response.status}"
        weight = page.evaluate(WEIGHT_JS)
        if SCREENSHOTS:
            _photograph(page, url)
        return weight
    finally:
        context.close()


def _photograph(page, url) -> None:
    folder = Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w-]+", "_", url).strip("_") or "home"
    page.screenshot(path=str(folder / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(folder / f"{name}-desktop.png"), full_page=True)


def test_every_page_is_light_on_a_phone(browser, production_server, pages):
    rows = []
    for name, url in pages["anonymous"]:
        rows.append((name, _weigh(browser, production_server, url)))
    for name, url in pages["buyer_pages"]:
        rows.append((name, _weigh(browser, production_server, url, pages["buyer"])))
    for name, url in pages["seller_pages"]:
        rows.append((name, _weigh(browser, production_server, url, pages["producer_user"])))

    table = [f"{'page':<20} {'KB':>8} {'requests':>9}  largest"]
    for name, weight in rows:
        largest = ", ".join(f"{path} {size / 1024:.0f}" for size, path in weight["largest"])
        table.append(
            f"{name:<20} {weight['bytes'] / 1024:>8.1f} {weight['requests']:>9}  {largest}"
        )
    print("\n" + "\n".join(table))
    heavy = [
        name
        for name, weight in rows
        if weight["bytes"] > MAX_BYTES or weight["requests"] > MAX_REQUESTS
    ]
    assert not heavy, f"over {MAX_BYTES // 1024} KB or {MAX_REQUESTS} requests: {heavy}\n" + (
        "\n".join(table)
    )
