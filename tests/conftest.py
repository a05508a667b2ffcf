import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated_cache():
    # Oscar caches category trees and sorl caches thumbnails; tests must not
    # see each other's entries.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shipping_country(db):
    from producers.selectors import region_shipping_country

    return region_shipping_country()
