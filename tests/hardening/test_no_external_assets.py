"""Every asset is served by the site itself: public CDNs (Google's above all)
are blocked or slow in mainland China, so a page that loads jQuery or a font
from another host breaks there. The main pages of every role are rendered and
searched for scripts, stylesheets, fonts and preloads on another host, and our
static CSS for @import/url() pointing off the site."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from procurement.models import ContractStatus
from tests.factories import StaffUserFactory, UserFactory, producer_with_user, product_with_stock
from tests.factories.procurement import Team, contract_in_state

pytestmark = pytest.mark.django_db

# A host other than the site: absolute http(s):// or protocol-relative //.
EXTERNAL = re.compile(r"^\s*(?:https?:)?//", re.I)
SCRIPT_SRC = re.compile(r"<script\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)
LINK_TAG = re.compile(r"<link\b[^>]*>", re.I)
LINK_HREF = re.compile(r"\bhref\s*=\s*[\"']?([^\"'\s>]+)", re.I)
LINK_REL = re.compile(r"\brel\s*=\s*[\"']?([^\"'>]+)", re.I)
ASSET_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch"}
# Inline style attributes (the strict policy blocks them, the admin sites may have them).
STYLE_URL = re.compile(r"url\(\s*[\"']?([^\"')\s]+)", re.I)
CSS_IMPORT = re.compile(r"@import\s+(?:url\()?\s*[\"']?([^\"')\s;]+)", re.I)


def external_assets(html: str) -> list[str]:
    found = [src for src in SCRIPT_SRC.findall(html) if EXTERNAL.match(src)]
    for tag in LINK_TAG.findall(html):
        rel = LINK_REL.search(tag)
        href = LINK_HREF.search(tag)
        rels = set(rel.group(1).lower().split()) if rel else set()
        if href and rels & ASSET_RELS and EXTERNAL.match(href.group(1)):
            found.append(href.group(1))
        elif href and "font" in tag.lower() and EXTERNAL.match(href.group(1)):
            found.append(href.group(1))
    found += [url for url in STYLE_URL.findall(html) if EXTERNAL.match(url)]
    found += [url for url in CSS_IMPORT.findall(html) if EXTERNAL.match(url)]
    return found


def assert_local_only(client, urls):
    offenders = {}
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        external = external_assets(response.content.decode())
        if external:
            offenders[url] = external
    assert not offenders, f"pages loading assets from other hosts: {offenders}"


def test_the_detector_finds_what_a_cdn_page_would_load():
    html = (
        '<script src="https://ajax.googleapis.com/ajax/libs/jquery/3.7.1/jquery.min.js"></script>'
        '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Lato">'
        '<link rel="preload" as="font" href="https://cdn.example.com/f.woff2">'
        '<div style="background: url(https://cdn.example.com/x.png)"></div>'
        '<script src="/static/oscar/js/jquery/jquery.min.js"></script>'
        '<link rel="canonical" href="https://shop.example.com/">'
    )
    assert len(external_assets(html)) == 4


def test_storefront_pages_load_no_asset_from_another_host(client):
    product = product_with_stock(title="柞水黑木耳 250g")
    pages = [
        "/",
        product.get_absolute_url(),
        reverse("catalogue:index"),
        reverse("search:search") + "?q=木耳",
        reverse("basket:summary"),
        reverse("customer:login"),
    ]
    assert_local_only(client, pages)
    client.force_login(UserFactory())
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    assert_local_only(
        client,
        pages
        + [
            reverse("customer:profile-view"),
            reverse("customer:order-list"),
            reverse("customer:wishlists-list"),
            reverse("producers:apply"),
            reverse("procurement:home"),
            reverse("checkout:index"),
        ],
    )


def test_workspace_pages_load_no_asset_from_another_host(client):
    producer, user = producer_with_user()
    product = product_with_stock(producer=producer)
    client.force_login(user)
    assert_local_only(
        client,
        [
            reverse("producers:workspace-index"),
            reverse("producers:workspace-home", args=[producer.pk]),
            reverse("producers:workspace-products", args=[producer.pk]),
            reverse("producers:workspace-product-create", args=[producer.pk]),
            reverse("producers:workspace-product-edit", args=[producer.pk, product.pk]),
            reverse("producers:workspace-certificates", args=[producer.pk]),
            reverse("producers:workspace-orders", args=[producer.pk]),
        ],
    )


def test_procurement_pages_load_no_asset_from_another_host(client):
    team = Team()
    product = product_with_stock(stock=1000)
    contract = contract_in_state(team, product, 10, ContractStatus.SHIPPED)
    unit = team.organisation.pk
    client.force_login(team.purchaser)
    assert_local_only(
        client,
        [
            reverse("procurement:home"),
            reverse("procurement:dashboard", args=[unit]),
            reverse("procurement:orders", args=[unit]),
            reverse("procurement:contracts", args=[unit]),
            reverse("procurement:members", args=[unit]),
            reverse("procurement:order-detail", args=[contract.order_id]),
            reverse("procurement:contract-detail", args=[contract.pk]),
            reverse("procurement:contract-print", args=[contract.pk]),
        ],
    )


def test_staff_dashboards_load_no_asset_from_another_host(client):
    client.force_login(StaffUserFactory(is_superuser=True))
    assert_local_only(
        client,
        [
            "/dashboard/",
            reverse("dashboard:catalogue-product-list"),
            reverse("dashboard:order-list"),
            "/cms/",
            "/cms/pages/",
            "/django-admin/",
        ],
    )


def test_our_static_css_imports_nothing_from_another_host():
    offenders = []
    for css in Path(settings.BASE_DIR, "static").rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        for url in STYLE_URL.findall(text) + CSS_IMPORT.findall(text):
            if EXTERNAL.match(url):
                offenders.append(f"{css.name}: {url}")
    assert not offenders


def test_the_card_payment_page_loads_stripe_js_and_nothing_else_from_another_host(
    client, stripe_on
):
    from tests.factories import stripe_card_order

    # Production loads Stripe.js from Stripe; the API stays localstripe here.
    stripe_on.STRIPE_JS_URL = "https://js.stripe.com/v3/"
    order = stripe_card_order(product_with_stock(title="柞水黑木耳 250g"))
    session = client.session
    session["checkout_order_id"] = order.pk
    session.save()

    response = client.get(reverse("payments:stripe-pay", kwargs={"number": order.number}))

    assert external_assets(response.content.decode()) == ["https://js.stripe.com/v3/"]
    policy = response["Content-Security-Policy"]
    assert "https://js.stripe.com" in policy
    assert "https://js.stripe.com" not in client.get("/")["Content-Security-Policy"]
