"""Issue 16, weight: product photos carry their size, so the page does not
jump as they arrive, and only the photo a visitor sees first loads at once."""

import re

import pytest
from django.urls import reverse

from tests.factories import ProductImageFactory, product_with_stock

pytestmark = pytest.mark.django_db


def _imgs(html: str, marker: str) -> list[str]:
    return [tag for tag in re.findall(r"<img [^>]*>", html) if marker in tag]


def test_product_cards_are_sized_and_lazy(client, search_index):
    ProductImageFactory(product=product_with_stock())
    search_index()
    html = client.get(reverse("catalogue:index")).content.decode()
    cards = _imgs(html, "img-thumbnail w-auto")
    assert cards
    for tag in cards:
        assert 'width="60" height="60"' in tag, tag
        assert 'loading="lazy"' in tag, tag


def test_product_page_loads_its_first_photo_first_and_the_rest_lazily(client):
    product = product_with_stock()
    ProductImageFactory(product=product, display_order=0)
    ProductImageFactory(product=product, display_order=1)
    html = client.get(product.get_absolute_url()).content.decode()
    first, second = _imgs(html, 'class="img-fluid"')
    assert 'fetchpriority="high"' in first and "loading=" not in first
    assert 'loading="lazy"' in second
    assert 'width="60" height="60"' in first
    for tag in _imgs(html, 'class="img-thumbnail" width="65"'):
        assert 'loading="lazy"' in tag
