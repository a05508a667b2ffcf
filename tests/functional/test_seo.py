"""Found and shared (issue 12, item 5): the sitemap lists every public page and
nothing else, every page names its canonical address and the card a shared
link shows, and product and producer pages describe themselves in JSON-LD."""

import json
import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.test import override_settings

from tests.factories import ProductImageFactory, product_with_stock
from tests.factories.catalogue import ChildProductFactory, ProductFactory
from tests.factories.partner import StockRecordFactory

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def meta(html: str, prop: str) -> str:
    found = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)"', html)
    assert found, f"no {prop}"
    return found.group(1)


def canonical(html: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]*)"', html).group(1)


def sitemap_locations(client) -> list[str]:
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    locations = []
    for section in index.findall("s:sitemap/s:loc", SITEMAP_NS):
        path = re.sub(r"^https?://[^/]+", "", section.text)
        response = client.get(path)
        assert response.status_code == 200, path
        tree = ElementTree.fromstring(response.content)
        locations += [loc.text for loc in tree.findall("s:url/s:loc", SITEMAP_NS)]
    return locations


@override_settings(SITE_DOMAIN="shop.example.cn", OSCAR_URL_SCHEMA="https")
def test_the_sitemap_lists_live_listings_producers_and_pages_and_nothing_hidden(client):
    from common.sites import site_sync

    site_sync()
    live = product_with_stock(title="紫阳富硒绿茶 100g")
    pending = product_with_stock(title="待审核的茶", review_status="pending")
    hidden = product_with_stock(title="已下架的茶")
    hidden.is_public = False
    hidden.save()

    locations = sitemap_locations(client)

    assert f"https://shop.example.cn{live.get_absolute_url()}" in locations
    assert f"https://shop.example.cn{pending.get_absolute_url()}" not in locations
    assert f"https://shop.example.cn{hidden.get_absolute_url()}" not in locations
    assert f"https://shop.example.cn/producers/{live.producer.pk}/" in locations
    # The published home page, on the configured domain whatever Wagtail's site row says.
    assert "https://shop.example.cn/" in locations
    # A producer whose only listing is hidden has no page worth indexing.
    assert f"https://shop.example.cn/producers/{hidden.producer.pk}/" not in locations
    assert all(location.startswith("https://shop.example.cn/") for location in locations)


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_work_areas(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert re.search(r"^Sitemap: https?://[^/]+/sitemap\.xml$", text, re.M)
    for area in ("/checkout/", "/dashboard/", "/procurement/", "/producers/workspace/"):
        assert f"Disallow: {area}" in text


@override_settings(SITE_DOMAIN="shop.example.cn", OSCAR_URL_SCHEMA="https")
def test_a_product_page_carries_its_card_and_its_structured_data(client):
    product = product_with_stock(title="柞水黑木耳 250g", price=Decimal("58.00"), stock=12)
    ProductImageFactory(product=product)

    html = client.get(product.get_absolute_url()).content.decode()

    url = f"https://shop.example.cn{product.get_absolute_url()}"
    assert canonical(html) == url
    assert meta(html, "og:url") == url
    assert meta(html, "og:type") == "product"
    assert meta(html, "og:title") == "柞水黑木耳 250g"
    assert meta(html, "og:description").startswith("产自秦岭南麓")
    assert re.fullmatch(r"https://shop\.example\.cn/media/.+", meta(html, "og:image"))
    (data,) = [json.loads(block) for block in JSON_LD.findall(html)]
    assert data["@type"] == "Product"
    assert data["name"] == "柞水黑木耳 250g"
    assert data["offers"] == {
        "@type": "Offer",
        "price": "58.00",
        "priceCurrency": "CNY",
        "availability": "https://schema.org/InStock",
        "url": url,
        "seller": {"@type": "Organization", "name": product.producer.name},
    }
    assert data["manufacturer"]["name"] == product.producer.name
    assert data["additionalProperty"] == [
        {"@type": "PropertyValue", "name": "产地", "value": "陕西省 商洛市 柞水县"}
    ]


def test_a_sold_out_product_says_so_in_its_offer(client):
    product = product_with_stock(stock=0)

    html = client.get(product.get_absolute_url()).content.decode()

    (data,) = [json.loads(block) for block in JSON_LD.findall(html)]
    assert data["offers"]["availability"] == "https://schema.org/OutOfStock"


def test_a_title_cannot_close_the_structured_data_block(client):
    product = product_with_stock(title="木耳</script><script>alert(1)</script>")

    html = client.get(product.get_absolute_url()).content.decode()

    (block,) = JSON_LD.findall(html)
    assert "<" not in block
    assert json.loads(block)["name"] == "木耳</script><script>alert(1)</script>"


def test_a_product_without_photos_shares_the_site_card(client):
    product = product_with_stock()

    html = client.get(product.get_absolute_url()).content.decode()

    assert meta(html, "og:image").endswith("/static/marketplace/og-default.png")


def test_the_producer_page_describes_the_organisation(client):
    product = product_with_stock()
    producer = product.producer

    html = client.get(f"/producers/{producer.pk}/").content.decode()

    assert meta(html, "og:title") == producer.name
    (data,) = [json.loads(block) for block in JSON_LD.findall(html)]
    assert data["@type"] == "Organization"
    assert data["name"] == producer.name
    assert data["address"]["addressRegion"] == "陕西省"
    assert data["address"]["addressLocality"] == "柞水县"


def test_canonical_addresses_drop_sorting_and_tracking_but_keep_the_page(client):
    for _ in range(3):
        product_with_stock()

    html = client.get("/catalogue/?sort_by=price-asc&utm_source=wechat").content.decode()
    assert canonical(html).endswith("/catalogue/")
    html = client.get("/catalogue/?page=2&sort_by=price-asc").content.decode()
    assert canonical(html).endswith("/catalogue/?page=2")


def test_the_home_page_has_the_site_card(client):
    html = client.get("/").content.decode()

    assert meta(html, "og:title").startswith("消费帮扶商城")
    assert meta(html, "og:image").endswith("/static/marketplace/og-default.png")
    assert canonical(html).endswith("/")


def test_a_variant_page_carries_its_parents_origin(client):
    child = ChildProductFactory(
        parent=ProductFactory(structure="parent", title="富硒茶"), title="250g"
    )

    StockRecordFactory(
        product=child,
        partner=child.parent.producer.partner,
        price=Decimal("30.00"),
        num_in_stock=3,
    )
    html = client.get(child.get_absolute_url()).content.decode()

    blocks = [json.loads(block) for block in JSON_LD.findall(html)]
    assert blocks and blocks[0]["additionalProperty"][0]["value"] == "陕西省 商洛市 柞水县"
