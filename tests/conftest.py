import os
import uuid

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
    from regions.selectors import region_shipping_country

    return region_shipping_country()


@pytest.fixture
def search_index(db):
    """Index what the test created. Tests run inside a transaction that never
    commits, so the on-commit indexing of real requests does not fire."""
    from search.indexing import search_rebuild_index

    return search_rebuild_index


def _elasticsearch_unavailable(message):
    # Under CI a missing search server must fail the run, never pass silently.
    if os.environ.get("CI") or os.environ.get("ES_TEST_REQUIRED"):
        pytest.fail(message, pytrace=False)
    pytest.skip("!!! ELASTICSEARCH TESTS SKIPPED !!! " + message)


@pytest.fixture(scope="session")
def elasticsearch_url():
    from django.conf import settings
    from elasticsearch import Elasticsearch

    url = settings.ELASTICSEARCH_TEST_URL
    if not url:
        _elasticsearch_unavailable("ELASTICSEARCH_URL is not set (make test starts a server).")
    client = Elasticsearch(url, request_timeout=5)
    try:
        # The test distribution has no root endpoint; health answers.
        client.cluster.health(timeout="5s")
    except Exception as exc:  # noqa: BLE001 - any failure means no usable server
        _elasticsearch_unavailable(f"Elasticsearch at {url} does not answer: {exc}")
    finally:
        client.close()
    return url


@pytest.fixture
def es_backend(elasticsearch_url, settings):
    """Point search at the test server, under an index prefix of its own."""
    from elasticsearch_dsl import connections

    from search.backends.elasticsearch import CONNECTION_ALIAS, connection

    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.ELASTICSEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:12]}"
    settings.ELASTICSEARCH_REFRESH_ON_WRITE = "wait_for"
    try:
        connections.remove_connection(CONNECTION_ALIAS)
    except KeyError:
        pass
    yield connection()
    connection().indices.delete(
        index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*", ignore_unavailable=True
    )
    connections.remove_connection(CONNECTION_ALIAS)


@pytest.fixture(params=["database", "elasticsearch"])
def search_backend_name(request, db):
    """Runs a test once per backend; the Elasticsearch run needs the server."""
    if request.param == "elasticsearch":
        request.getfixturevalue("es_backend")
    return request.param


@pytest.fixture(scope="module")
def restore_migrated_rows_after_module(django_db_blocker):
    """A transactional test ends with a flush of every table; with
    serialized_rollback Django skips post_migrate there too, so after the last
    test even content types are gone. Put the session-start snapshot back, so
    that tests running after this module — and the next --reuse-db session, if
    nothing flushes later — start from the migrated database."""
    yield
    from django.db import connection

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        with django_db_blocker.unblock():
            connection.creation.deserialize_db_from_string(contents)
