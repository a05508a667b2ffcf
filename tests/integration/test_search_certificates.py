from datetime import timedelta

import pytest
from django.utils import timezone

from producers.models import Certificate
from search.backends.base import SearchQuery
from search.backends.database import DatabaseBackend
from search.indexing import products_reindex_certificate_changes
from tests.factories import product_with_stock

pytestmark = pytest.mark.django_db


def certified_count():
    results = DatabaseBackend().search(SearchQuery(filters={"certificate": ("green",)}))
    return results.total


def test_a_lapsed_certificate_leaves_the_certificate_filter_after_the_daily_refresh(search_index):
    product = product_with_stock()
    today = timezone.localdate()
    certificate = Certificate.objects.create(
        producer=product.producer,
        kind=Certificate.Kind.GREEN_FOOD,
        number="LB-1",
        issuer="中国绿色食品发展中心",
        valid_from=today - timedelta(days=365),
        valid_until=today,
    )
    certificate.products.add(product)
    search_index()
    assert certified_count() == 1

    tomorrow = today + timedelta(days=1)
    assert products_reindex_certificate_changes(day=tomorrow) == 1
    assert certified_count() == 0
