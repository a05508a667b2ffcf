"""REDIS_CACHE_URL puts the cache in Redis, shared by every web node; without
it the cache is the process's memory (make run)."""

import uuid

from django.core.cache.backends.redis import RedisCache
from django.utils.module_loading import import_string

from marketplace.settings.base import caches_for


def test_without_a_redis_cache_url_the_cache_is_local_memory():
    assert caches_for("")["default"]["BACKEND"].endswith("LocMemCache")


def test_two_nodes_share_the_redis_cache(redis_url):
    config = caches_for(redis_url)["default"]
    backend = import_string(config["BACKEND"])
    assert backend is RedisCache
    node_a = backend(config["LOCATION"], {"KEY_PREFIX": config["KEY_PREFIX"]})
    node_b = backend(config["LOCATION"], {"KEY_PREFIX": config["KEY_PREFIX"]})
    key = f"test-{uuid.uuid4().hex}"
    try:
        node_a.set(key, {"category_tree": [1, 2, 3]}, timeout=60)
        assert node_b.get(key) == {"category_tree": [1, 2, 3]}
    finally:
        node_a.delete(key)
