"""Every page carries a Content-Security-Policy: a strict one on the storefront,
the producer workspace and our other pages (no inline script may run there, so
none is sent), a relaxed one on the admin sites we do not write."""

import re

import pytest
from django.urls import reverse

from tests.factories import (
    CountyReviewerFactory,
    StaffUserFactory,
    UserFactory,
    multi_spec_product,
    producer_with_user,
    product_with_stock,
)

pytestmark = pytest.mark.django_db

RELAXED_PREFIXES = ["/cms/", "/dashboard/", "/django-admin/"]


def directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy"
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_strict(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["font-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]


# JSON-LD data blocks are never run, so no policy governs them; anything else inline is a script.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>", re.I
)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def assert_runs_under_strict_policy(response):
    """What the strict policy would block must not be on the page at all."""
    assert response.status_code == 200, response.request["PATH_INFO"]
    assert_strict(response)
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html).group(0)
    assert not JAVASCRIPT_URL.search(html)
    assert "<style" not in html


def test_storefront_pages_send_the_strict_policy_and_hold_no_inline_script(client):
    product = product_with_stock(title="柞水黑木耳 250g")
    client.force_login(UserFactory())
    pages = [
        "/",
        product.get_absolute_url(),
        reverse("catalogue:index"),
        reverse("search:search") + "?q=木耳",
        reverse("customer:profile-view"),
        reverse("customer:wishlists-list"),
        reverse("producers:apply"),
        reverse("procurement:home"),
    ]
    for url in pages:
        assert_runs_under_strict_policy(client.get(url))

    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    assert_runs_under_strict_policy(client.get(reverse("basket:summary")))
    checkout = client.get(reverse("checkout:index"), follow=True)
    assert checkout.redirect_chain, "the signed-in customer goes on to the shipping address"
    assert_runs_under_strict_policy(checkout)


def test_the_guest_checkout_gateway_sends_the_strict_policy(client):
    product = product_with_stock()
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    assert_runs_under_strict_policy(client.get(reverse("checkout:index")))


def test_the_producer_workspace_sends_the_strict_policy_and_holds_no_inline_script(client):
    producer, user = producer_with_user()
    product = product_with_stock(producer=producer)
    multi_spec = multi_spec_product(producer=producer, photos=2)
    variant = multi_spec.children.first()
    client.force_login(user)
    for url in [
        reverse("producers:workspace-product-photos", args=[producer.pk, multi_spec.pk]),
        reverse("producers:workspace-product-variants", args=[producer.pk, multi_spec.pk]),
        reverse(
            "producers:workspace-product-variant-edit",
            args=[producer.pk, multi_spec.pk, variant.pk],
        ),
        reverse("producers:workspace-multi-spec-create", args=[producer.pk]),
        multi_spec.get_absolute_url(),
        reverse("producers:workspace-home", args=[producer.pk]),
        reverse("producers:workspace-products", args=[producer.pk]),
        reverse("producers:workspace-product-create", args=[producer.pk]),
        reverse("producers:workspace-product-edit", args=[producer.pk, product.pk]),
        reverse("producers:workspace-certificates", args=[producer.pk]),
        reverse("producers:workspace-orders", args=[producer.pk]),
    ]:
        assert_runs_under_strict_policy(client.get(url))


def test_the_staff_review_pages_in_the_dashboard_layout_send_the_strict_policy(client):
    """They use Oscar's dashboard layout, whose inline start-up script would
    need the relaxed policy; they start it from a static file instead."""
    client.force_login(StaffUserFactory(is_superuser=False))
    for name in [
        "producers:platform-queue",
        "producers:reviewers",
        "catalogue:review-queue",
        "procurement:review-units",
        "procurement:review-contests",
        "procurement:review-progress",
        "procurement:review-off-platform",
    ]:
        response = client.get(reverse(name))
        assert 'id="bottom_nav_bar"' in response.content.decode()
        assert_runs_under_strict_policy(response)
    reviewer = CountyReviewerFactory()
    client.force_login(reviewer.user)
    assert_runs_under_strict_policy(client.get(reverse("producers:county-queue")))


def test_error_pages_send_the_strict_policy(client):
    response = client.get("/catalogue/no-such-product_999999/")
    assert response.status_code == 404
    assert_strict(response)


@pytest.mark.parametrize("prefix", RELAXED_PREFIXES)
def test_the_admin_sites_get_the_relaxed_policy_not_none(client, prefix):
    client.force_login(StaffUserFactory())
    policy = directives(client.get(prefix))
    assert "'unsafe-inline'" in policy["script-src"]
    # Relaxed, not open: nothing from other origins, no plugins, no framing by others.
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert not any(source.startswith(("http", "*")) for source in policy["script-src"])
