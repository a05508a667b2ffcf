"""Product page views counted off the request.

Oscar's analytics app counts every product page view with an UPDATE of
``ProductRecord.num_views`` (``oscar.apps.analytics.receivers.receive_product_view``):
a write and a commit on every view, all of a popular product's views queueing
on one row. The dashboard's product report reads those counts, so they are
kept, but a view now adds one to a Redis hash (one ``HINCRBY``) and the
periodic job ``catalogue.flush_product_views`` (PERIODIC_TASKS, every minute)
writes the sums to ``ProductRecord`` in one transaction.

The hash lives in the cache's Redis (REDIS_CACHE_URL) under the cache's key
prefix. Without a Redis cache (``make run``, the tests' local memory) a view is
counted at once, as Oscar does: there is no shared place to keep it.

A signed-in customer's own history (UserRecord, UserProductView) is still
written on the request: it is per visitor and rare next to anonymous views.
Recently viewed products are a cookie (Oscar's customer receiver), untouched."""

import logging
import uuid

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.models import F
from oscar.core.loading import get_model

logger = logging.getLogger(__name__)

PENDING_KEY = "analytics:product-views"


def _redis():
    """The cache's Redis client, or None when the cache is not Redis."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    return backend._cache.get_client(PENDING_KEY, write=True)


def product_view_record(*, product_id: int) -> None:
    """Count one view of the product: in Redis for the next flush, or at once
    when there is no Redis cache."""
    client = _redis()
    if client is None:
        _product_views_apply({product_id: 1})
        return
    client.hincrby(cache.make_key(PENDING_KEY), str(product_id), 1)


def product_views_flush() -> int:
    """Write the views counted since the last flush to ProductRecord; returns
    how many products' counts were written.

    The pending hash is renamed first, so views counted meanwhile go to a new
    one; if writing fails, the counts are added back for the next run."""
    client = _redis()
    if client is None:
        return 0
    pending = cache.make_key(PENDING_KEY)
    flushing = f"{pending}:flushing:{uuid.uuid4().hex}"
    try:
        client.rename(pending, flushing)
    except Exception as error:  # redis.ResponseError: no such key, nothing counted
        if "no such key" in str(error).lower():
            return 0
        raise
    counts = {int(pk): int(n) for pk, n in client.hgetall(flushing).items()}
    try:
        _product_views_apply(counts)
    except Exception:
        pipe = client.pipeline()
        for pk, n in counts.items():
            pipe.hincrby(pending, str(pk), n)
        pipe.delete(flushing)
        pipe.execute()
        raise
    client.delete(flushing)
    return len(counts)


def _product_views_apply(counts: dict[int, int]) -> None:
    """Add the counts to ProductRecord (created for a product's first views);
    products deleted since their views were counted are skipped."""
    if not counts:
        return
    ProductRecord = get_model("analytics", "ProductRecord")
    Product = get_model("catalogue", "Product")
    with transaction.atomic():
        # Each UPDATE adds to the row in place (no read first); a product with
        # no record yet updates nothing and gets one. Two flushes creating the
        # same record at once: the second fails on the unique product, rolls
        # back, and its counts go back for the next run.
        new = {
            pk
            for pk in sorted(counts)
            if not ProductRecord.objects.filter(product_id=pk).update(
                num_views=F("num_views") + counts[pk]
            )
        }
        live = set(Product.objects.filter(pk__in=new).values_list("pk", flat=True))
        ProductRecord.objects.bulk_create(
            [ProductRecord(product_id=pk, num_views=counts[pk]) for pk in sorted(live)]
        )


def receive_product_view(sender, product, user, **kwargs):
    """Oscar's analytics receiver for ``product_viewed``, with the product's
    count moved off the request (connected in its place by CatalogueConfig)."""
    if kwargs.get("raw", False):
        return
    product_view_record(product_id=product.pk)
    if user and user.is_authenticated:
        UserRecord = get_model("analytics", "UserRecord")
        UserProductView = get_model("analytics", "UserProductView")
        updated = UserRecord.objects.filter(user=user).update(
            num_product_views=F("num_product_views") + 1
        )
        if not updated:
            UserRecord.objects.get_or_create(user=user, defaults={"num_product_views": 1})
        UserProductView.objects.create(product=product, user=user)
