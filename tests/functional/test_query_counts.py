"""Listing and detail pages run the same number of queries whatever the size
of the catalogue (no per-product queries)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.cache import catalogue_version_bump
from tests.factories import (
    CategoryFactory,
    ProducerFactory,
    ProductImageFactory,
    product_with_stock,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_factory():
    return Client


def build_catalogue(size):
    category = CategoryFactory(name="菌菇干货")
    producers = [ProducerFactory() for _ in range(3)]
    products = []
    for i in range(size):
        product = product_with_stock(
            price=Decimal("20.00") + i, producer=producers[i % 3], categories=[category]
        )
        ProductImageFactory(product=product)
        products.append(product)
    return category, products


def queries_for(client, url):
    client.get(url)  # warm caches that a real visitor would find warm (thumbnails, category tree)
    # The page's rendered blocks are cached too (catalogue.cache): measure them
    # rendered again, as after any change to the catalogue.
    catalogue_version_bump()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("page", ["category", "catalogue"])
def test_listing_query_count_does_not_grow_with_the_catalogue(client, page, search_index):
    category, products = build_catalogue(10)
    url = category.get_absolute_url() if page == "category" else reverse("catalogue:index")
    search_index()
    small, response = queries_for(client, url)
    assert len(response.context["products"]) == 10

    # 190 more products from the same producers: a full page of cards now.
    for i in range(190):
        product_with_stock(
            price=Decimal("30.00") + i, producer=products[i % 10].producer, categories=[category]
        )
    search_index()
    large, response = queries_for(client, url)
    assert len(response.context["products"]) == 24

    assert small == large, f"{page}: {small} queries with 10 products, {large} with 200"
    print(f"{page} listing: {large} queries")


def test_product_detail_query_count_does_not_grow_with_the_catalogue(client_factory):
    # A fresh visitor each time: the "recently viewed" strip would otherwise differ.
    _, products = build_catalogue(10)
    small, _ = queries_for(client_factory(), products[0].get_absolute_url())

    _, more = build_catalogue(190)
    large, response = queries_for(client_factory(), more[-1].get_absolute_url())

    assert "陕西省 商洛市 柞水县" in response.content.decode()
    assert small == large, f"detail: {small} queries with 10 products, {large} with 200"
    print(f"product detail: {large} queries")
