"""A product page view is counted off the request (catalogue.product_views):
with the Redis cache the page writes nothing and the periodic flush adds the
views to Oscar's ProductRecord, which the dashboard's product report reads."""

import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from catalogue import product_views
from catalogue.tasks import catalogue_flush_product_views
from marketplace.settings.base import caches_for
from tests.factories import UserFactory, product_with_stock

pytestmark = pytest.mark.django_db

ProductRecord = get_model("analytics", "ProductRecord")
UserProductView = get_model("analytics", "UserProductView")


@pytest.fixture
def redis_cache(redis_url):
    config = caches_for(redis_url)
    config["default"]["KEY_PREFIX"] = f"test-views-{uuid.uuid4().hex}"
    with override_settings(CACHES=config):
        yield
        from django.core.cache import cache

        client = product_views._redis()
        for key in client.scan_iter(f"{config['default']['KEY_PREFIX']}*"):
            client.delete(key)
        cache.close()


def views_of(product) -> int:
    record = ProductRecord.objects.filter(product=product).first()
    return record.num_views if record else 0


def test_with_the_redis_cache_a_view_writes_nothing_and_the_flush_counts_it(client, redis_cache):
    product = product_with_stock(title="柞水黑木耳", price=Decimal("20.00"))
    other = product_with_stock(title="洛南核桃", price=Decimal("30.00"))
    url = product.get_absolute_url()
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SELECT")]
    assert not any("analytics" in sql for sql in writes), writes
    client.get(other.get_absolute_url())
    assert views_of(product) == 0

    assert catalogue_flush_product_views() == 2
    assert (views_of(product), views_of(other)) == (2, 1)

    client.get(url)
    assert catalogue_flush_product_views() == 1
    assert (views_of(product), views_of(other)) == (3, 1)
    assert catalogue_flush_product_views() == 0
    assert (views_of(product), views_of(other)) == (3, 1)


def test_a_failed_flush_keeps_the_views_for_the_next_one(client, redis_cache, monkeypatch):
    product = product_with_stock(title="柞水黑木耳", price=Decimal("20.00"))
    client.get(product.get_absolute_url())
    client.get(product.get_absolute_url())

    def broken(counts):
        raise RuntimeError("database gone")

    monkeypatch.setattr(product_views, "_product_views_apply", broken)
    with pytest.raises(RuntimeError):
        product_views.product_views_flush()
    monkeypatch.undo()
    client.get(product.get_absolute_url())

    assert product_views.product_views_flush() == 1
    assert views_of(product) == 3


def test_views_of_a_deleted_product_are_dropped(client, redis_cache):
    product = product_with_stock(title="柞水黑木耳", price=Decimal("20.00"))
    kept = product_with_stock(title="洛南核桃", price=Decimal("30.00"))
    client.get(product.get_absolute_url())
    client.get(kept.get_absolute_url())
    product.delete()

    assert product_views.product_views_flush() == 2
    assert views_of(kept) == 1
    assert ProductRecord.objects.count() == 1


def test_without_a_redis_cache_a_view_is_counted_at_once(client):
    product = product_with_stock(title="柞水黑木耳", price=Decimal("20.00"))
    client.get(product.get_absolute_url())
    client.get(product.get_absolute_url())
    assert views_of(product) == 2
    assert product_views.product_views_flush() == 0


def test_a_signed_in_customer_s_views_are_still_recorded_for_them(client, redis_cache):
    product = product_with_stock(title="柞水黑木耳", price=Decimal("20.00"))
    user = UserFactory()
    client.force_login(user)
    client.get(product.get_absolute_url())
    assert UserProductView.objects.filter(user=user, product=product).count() == 1
    assert get_model("analytics", "UserRecord").objects.get(user=user).num_product_views == 1


def test_recently_viewed_products_still_follow_the_visitor(client, redis_cache):
    first = product_with_stock(title="柞水黑木耳", price=Decimal("20.00"))
    second = product_with_stock(title="洛南核桃", price=Decimal("30.00"))
    client.get(first.get_absolute_url())
    response = client.get(second.get_absolute_url())
    assert str(first.pk) in client.cookies["oscar_history"].value
    assert response.status_code == 200
