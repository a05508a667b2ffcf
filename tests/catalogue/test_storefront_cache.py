"""Storefront pages cache their rendered blocks under the catalogue version
(catalogue.cache): a repeated listing loads no product, any change to price,
stock, review state or categories shows on the next request, and what is per
visitor (basket, CSRF token, language) is never served from another visitor's
render."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from catalogue.cache import catalogue_version, catalogue_version_bump
from catalogue.models import ReviewStatus
from tests.factories import CategoryFactory, ProducerFactory, UserFactory, product_with_stock

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
PRODUCT_TABLE = '"catalogue_product"'
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def card_token(page: str, product) -> str:
    """The CSRF token in the "add to basket" form of this product's card."""
    action = reverse("basket:add", kwargs={"pk": product.pk})
    found = re.search(
        rf'<form action="{action}" method="post">\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">',
        page,
    )
    assert found, f"no basket form with a CSRF token for {product}"
    return found.group(1)


@pytest.fixture
def listing(search_index):
    category = CategoryFactory(name="菌菇干货")
    producer = ProducerFactory()
    products = [
        product_with_stock(
            title=f"柞水黑木耳 {i}号",
            price=Decimal("20.00") + i,
            producer=producer,
            categories=[category],
        )
        for i in range(3)
    ]
    search_index()
    return category, products


def catalogue_queries(queries: list[str]) -> list[str]:
    """The queries of a page view without the view count, which tests write
    at once (without a Redis cache; tests/catalogue/test_product_views.py)."""
    return [sql for sql in queries if "analytics_" not in sql and "SAVEPOINT" not in sql]


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("page", ["catalogue", "category", "search"])
def test_a_repeated_listing_loads_no_product_and_runs_fewer_queries(client, listing, page):
    category, _products = listing
    url = {
        "catalogue": reverse("catalogue:index"),
        "category": category.get_absolute_url(),
        "search": reverse("search:search") + "?q=木耳",
    }[page]
    first, miss = get(client, url)
    second, hit = get(client, url)

    assert any(PRODUCT_TABLE in sql for sql in miss)
    assert not any(PRODUCT_TABLE in sql for sql in hit), "a cache hit loaded products"
    assert len(hit) < len(miss)
    assert "柞水黑木耳 2号" in second.content.decode()


def test_a_cached_product_page_renders_again_with_fewer_queries(client, listing):
    _category, products = listing
    url = products[0].get_absolute_url()
    _first, miss = get(client, url)
    second, hit = get(client, url)
    assert len(hit) < len(miss)
    assert "¥20.00" in second.content.decode()


def _price_on_page(client, url):
    return client.get(url).content.decode()


@pytest.mark.parametrize(
    "url_of",
    [
        lambda category, product: reverse("catalogue:index"),
        lambda category, product: category.get_absolute_url(),
        lambda category, product: product.get_absolute_url(),
    ],
    ids=["catalogue", "category", "product"],
)
def test_a_price_change_shows_on_the_next_request(client, listing, url_of):
    category, products = listing
    url = url_of(category, products[0])
    assert "¥20.00" in client.get(url).content.decode()

    record = products[0].stockrecords.get()
    record.price = Decimal("88.80")
    record.save()

    page = client.get(url).content.decode()
    assert "¥88.80" in page and "¥20.00" not in page


def test_a_stock_change_shows_on_the_next_request(client, listing):
    _category, products = listing
    url = reverse("catalogue:index")
    add_url = reverse("basket:add", kwargs={"pk": products[0].pk})
    assert add_url in client.get(url).content.decode()

    record = products[0].stockrecords.get()
    record.num_in_stock = 0
    record.save()

    assert add_url not in client.get(url).content.decode()


def test_a_review_state_change_shows_on_the_next_request(client, listing):
    _category, products = listing
    url = reverse("catalogue:index")
    assert "柞水黑木耳 1号" in client.get(url).content.decode()

    products[1].review_status = ReviewStatus.REJECTED
    products[1].save()

    assert "柞水黑木耳 1号" not in client.get(url).content.decode()


def test_a_category_change_shows_on_the_next_request(client, listing):
    category, products = listing
    url = products[0].get_absolute_url()
    catalogue_url = reverse("catalogue:index")
    assert "菌菇干货" in client.get(catalogue_url).content.decode()

    category.name = "食用菌"
    category.save()

    page = client.get(catalogue_url).content.decode()
    assert "食用菌" in page and "菌菇干货" not in page
    assert client.get(url).status_code == 200


def test_the_version_moves_again_when_the_change_commits(django_capture_on_commit_callbacks):
    before = catalogue_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        catalogue_version_bump()
        catalogue_version_bump()
        assert catalogue_version() == before + 2
    # One bump on commit, however many changes the transaction made.
    assert len({id(callback) for callback in callbacks}) == 1
    assert catalogue_version() == before + 3


def test_each_visitor_gets_their_own_basket_and_a_csrf_token_that_works(listing):
    _category, products = listing
    url = reverse("catalogue:index")
    shopper = Client(enforce_csrf_checks=True)
    shopper.force_login(UserFactory())
    first = shopper.get(url).content.decode()
    token = card_token(first, products[2])
    response = shopper.post(
        reverse("basket:add", kwargs={"pk": products[2].pk}),
        {"quantity": 1, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert "¥22.00" in shopper.get(url).content.decode()  # the mini basket's total

    # A second visitor gets the cached listing: their own empty basket and a
    # token of their own in every form, which the basket accepts.
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url).content.decode()
    visitor_token = card_token(page, products[0])
    assert token not in CSRF_INPUT.findall(page)
    assert "storefront-csrf-mark" not in page
    assert "¥22.00" not in page.split('id="main"')[0]
    response = visitor.post(
        reverse("basket:add", kwargs={"pk": products[0].pk}),
        {"quantity": 1, "csrfmiddlewaretoken": visitor_token},
    )
    assert response.status_code == 302
    baskets = Basket.objects.filter(lines__product=products[0])
    assert baskets.count() == 1 and baskets.get().owner is None


def test_each_language_has_its_own_cached_listing(client, listing):
    url = reverse("catalogue:index")
    chinese = client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert "排序" in chinese and "排序" not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "排序" in client.get(url).content.decode()


def test_a_zero_result_search_counts_when_served_from_the_cache(client, listing):
    from search.models import ZeroResultQuery

    url = reverse("search:search") + "?q=不存在的东西"
    client.get(url)
    client.get(url)
    assert ZeroResultQuery.objects.get().count == 2


def test_the_version_is_read_once_per_request_and_afresh_after_a_bump(monkeypatch):
    from django.core.cache import cache
    from django.core.signals import request_finished, request_started

    from catalogue import cache as catalogue_cache

    reads = []
    real_get = cache.get

    def counting_get(key, *args, **kwargs):
        if key == catalogue_cache.VERSION_KEY:
            reads.append(key)
        return real_get(key, *args, **kwargs)

    catalogue_version()  # the number exists, as it does once any page was served
    monkeypatch.setattr(cache, "get", counting_get)
    request_started.send(sender=None)
    try:
        first = catalogue_version()
        assert catalogue_version() == first and len(reads) == 1
        catalogue_version_bump()  # a change made by this request shows to it
        assert catalogue_version() > first
        assert catalogue_version() == catalogue_version()
    finally:
        request_finished.send(sender=None)
    reads.clear()
    catalogue_version()
    catalogue_version()
    assert len(reads) == 2, "outside a request (workers, commands) every read asks the cache"


def test_a_product_page_hit_loads_only_the_product_and_its_price(client, listing):
    _category, products = listing
    url = products[0].get_absolute_url()
    get(client, url)
    _second, hit = get(client, url)
    # Without a Redis cache (as here) the view is counted at once; with one it
    # is not (tests/catalogue/test_product_views.py).
    hit = [sql for sql in hit if "analytics_" not in sql and "SAVEPOINT" not in sql]
    for table in (
        "catalogue_productimage",
        "catalogue_option",
        "catalogue_category",
        "catalogue_productrecommendation",
        "partner_stockrecord",
        "reviews_productreview",
    ):
        # (The product's own query asks whether it has options, in a subquery.)
        reads = [
            sql
            for sql in hit
            if sql.startswith(f'SELECT "{table}".') or f'AS "__count" FROM "{table}"' in sql
        ]
        assert not reads, f"{table} read on a hit"
    # The product and its stock records come from the cache; what is left is
    # the visitor's recently viewed list (Oscar reads the products its cookie
    # names).
    assert len(hit) <= 1, hit
    assert not catalogue_queries(get(Client(), url)[1]), "a new visitor's hit ran queries"


def test_a_new_visitor_s_empty_mini_basket_is_cached_and_an_anonymous_basket_is_not(listing):
    _category, products = listing
    url = reverse("catalogue:index")
    first = Client()
    first.get(url)  # renders and caches the empty mini basket
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url).content.decode()
    assert "¥0.00" in page.split('class="basket-mini')[1][:400]
    response = visitor.post(
        reverse("basket:add", kwargs={"pk": products[1].pk}),
        {"quantity": 1, "csrfmiddlewaretoken": card_token(page, products[1])},
    )
    assert response.status_code == 302
    assert settings.OSCAR_BASKET_COOKIE_OPEN in visitor.cookies
    mini = visitor.get(url).content.decode().split('class="basket-mini')[1][:400]
    assert "¥21.00" in mini, "a visitor with a basket saw the cached empty one"
    assert "¥0.00" in Client().get(url).content.decode().split('class="basket-mini')[1][:400]


def test_a_new_review_shows_to_visitors_on_the_next_request(client, listing):
    ProductReview = get_model("reviews", "ProductReview")
    _category, products = listing
    url = products[0].get_absolute_url()
    client.get(url)
    ProductReview.objects.create(
        product=products[0],
        user=UserFactory(),
        score=5,
        title="木耳很干净",
        body="泡发后很多，没有沙子。",
        status=ProductReview.APPROVED,
    )
    assert "木耳很干净" in client.get(url).content.decode()


def test_recommendations_are_cached_until_they_change_and_their_cards_take_each_visitor_s_token(
    listing,
):
    ProductRecommendation = get_model("catalogue", "ProductRecommendation")
    _category, products = listing
    url = products[0].get_absolute_url()
    assert "柞水黑木耳 1号" not in Client().get(url).content.decode()

    recommendation = ProductRecommendation.objects.create(
        primary=products[0], recommendation=products[1], ranking=1
    )
    first = Client().get(url).content.decode()
    assert "柞水黑木耳 1号" in first, "a new recommendation was not shown"
    first_token = card_token(first, products[1])

    visitor = Client(enforce_csrf_checks=True)
    with CaptureQueriesContext(connection) as queries:
        page = visitor.get(url).content.decode()
    assert not any('"catalogue_productrecommendation"' in q["sql"] for q in queries)
    token = card_token(page, products[1])
    assert token != first_token and "storefront-csrf-mark" not in page
    response = visitor.post(
        reverse("basket:add", kwargs={"pk": products[1].pk}),
        {"quantity": 1, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302

    # A recommended listing taken off sale leaves the list.
    products[1].review_status = ReviewStatus.REJECTED
    products[1].save()
    assert "柞水黑木耳 1号" not in Client().get(url).content.decode()

    recommendation.recommendation = products[2]
    recommendation.save()
    assert "柞水黑木耳 2号" in Client().get(url).content.decode()
    recommendation.delete()
    assert "柞水黑木耳 2号" not in Client().get(url).content.decode()


def test_a_cached_product_shows_its_changes_and_its_withdrawal_on_the_next_request(listing):
    _category, products = listing
    product = products[0]
    url = product.get_absolute_url()
    Client().get(url)
    assert not catalogue_queries(get(Client(), url)[1]), "the product was not cached"

    product.title = "柞水黑木耳 新标题"
    product.save()
    assert "柞水黑木耳 新标题" in Client().get(url).content.decode()

    record = product.stockrecords.get()
    record.price = Decimal("88.00")
    record.save()
    assert "¥88.00" in Client().get(url).content.decode()

    product.review_status = ReviewStatus.REJECTED
    product.save()
    assert Client().get(url).status_code == 404
