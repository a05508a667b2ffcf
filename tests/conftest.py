import os
import uuid

import pytest
from django.core.cache import cache

from tests.support.database import is_transactional, restore_migrated_rows


@pytest.fixture(autouse=True)
def _isolated_cache():
    # Oscar caches category trees and sorl caches thumbnails; tests must not
    # see each other's entries.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def sms_outbox():
    """Text messages the locmem SMS backend kept during the test (like
    mail.outbox), empty at its start."""
    from common import sms

    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


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


# --- Rows the migrations created, after transactional tests --------------------
#
# A transactional test (django_db(transaction=True), transactional_db,
# live_server) ends with a flush of every table, which takes the rows the data
# migrations created with it: the CN shipping country, the Wagtail root and home
# page with their Site, Oscar's defaults. With serialized_rollback Django also
# skips post_migrate there, so even content types are gone. Every test after it
# — in any order, in any module — must still find them, so after each
# transactional test the hook below empties the database and loads the snapshot
# taken when the test database was migrated. Every test therefore starts with
# those rows; serialized_rollback=True (which loads the snapshot before the test
# too) is a harmless second guarantee, kept where a module depends on the rows.


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django snapshots the migrated database only when a collected test
    asks for serialized_rollback; the restore below needs it in every run."""
    from django.db import connection

    with django_db_blocker.unblock():
        if getattr(connection, "_test_serialized_contents", None) is None:
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # After the yield every function fixture is torn down, the flush included.
    result = yield
    # After the session's last test the test database is already destroyed and
    # the connection points at the configured (non-test) database again:
    # nothing follows that needs the rows, and flushing there would be wrong.
    if is_transactional(item) and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        restore_migrated_rows(item.config.stash[blocking_manager_key])
    return result


@pytest.fixture
def private_root(settings, tmp_path):
    """A private-document directory of the test's own (licences, scans,
    evidence), so that 'nothing was stored' and 'stored here' can be checked."""
    root = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = str(root)
    settings.SENDFILE_ROOT = str(root)
    return root


@pytest.fixture(scope="session")
def localstripe_url():
    import requests
    from django.conf import settings

    from tests.support.stripe import localstripe_unavailable as _localstripe_unavailable

    url = settings.STRIPE_TEST_API_BASE
    if not url:
        _localstripe_unavailable("STRIPE_API_BASE is not set (make test starts localstripe).")
    try:
        requests.get(f"{url}/js.stripe.com/v3/", timeout=5).raise_for_status()
    except requests.RequestException as exc:
        _localstripe_unavailable(f"localstripe at {url} does not answer: {exc}")
    return url


@pytest.fixture
def stripe_on(localstripe_url, settings):
    """Card payments switched on against localstripe, with a webhook secret."""
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_SECRET_KEY = "sk_test_marketplace"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_marketplace"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_marketplace_test"
    settings.STRIPE_JS_URL = f"{localstripe_url}/js.stripe.com/v3/"
    return settings


# --- Task queue: a real Celery worker on Redis (scripts/redis-server.sh) -------


def _redis_unavailable(message):
    # Under CI a missing Redis must fail the run, never pass silently.
    if os.environ.get("CI") or os.environ.get("REDIS_TEST_REQUIRED"):
        pytest.fail(message, pytrace=False)
    pytest.skip("!!! REDIS TESTS SKIPPED !!! " + message)


@pytest.fixture(scope="session")
def redis_url():
    import redis
    from django.conf import settings

    url = settings.REDIS_TEST_URL
    if not url:
        _redis_unavailable("REDIS_URL is not set (make test starts redis-server).")
    client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        _redis_unavailable(f"Redis at {url} does not answer: {exc}")
    finally:
        client.close()
    return url


@pytest.fixture(scope="module")
def celery_worker(redis_url):
    """A real Celery worker (a thread of this process, solo pool) with the
    test Redis as broker and result backend, on a queue of its own. While it
    runs, its app is the current one, so `task.delay()` in the code under test
    goes through Redis to it instead of running eagerly."""
    from celery import Celery
    from celery import _state as celery_state
    from celery.contrib.testing.worker import start_worker

    from marketplace.celery import app as marketplace_app

    # start_worker makes its app the process-wide default too, which threads
    # without a current app (the live server's, in browser tests) fall back on:
    # put the previous default back afterwards, or later browser tests would
    # queue their tasks to this worker's Redis queue after it stopped.
    previous_default = celery_state.default_app
    app = Celery("marketplace-test", set_as_current=True)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=redis_url,
        result_backend=redis_url,
        task_always_eager=False,
        task_default_queue=f"test-{uuid.uuid4().hex[:12]}",
    )
    app.loader.import_default_modules()
    app.autodiscover_tasks(force=True)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield app
    finally:
        marketplace_app.set_current()
        celery_state.set_default_app(previous_default)
        app.close()


# --- Object storage: a real S3-compatible server (scripts/s3-server.sh) --------

S3_TEST_CREDENTIALS = {"access_key": "testing", "secret_key": "testing", "region": "us-east-1"}


def _s3_unavailable(message):
    # Under CI a missing S3-compatible server must fail the run, never pass silently.
    if os.environ.get("CI") or os.environ.get("S3_TEST_REQUIRED"):
        pytest.fail(message, pytrace=False)
    pytest.skip("!!! S3 STORAGE TESTS SKIPPED !!! " + message)


def s3_client(endpoint_url):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        aws_access_key_id=S3_TEST_CREDENTIALS["access_key"],
        aws_secret_access_key=S3_TEST_CREDENTIALS["secret_key"],
        region_name=S3_TEST_CREDENTIALS["region"],
    )


@pytest.fixture(scope="session")
def s3_endpoint():
    import requests
    from django.conf import settings

    url = settings.S3_TEST_ENDPOINT_URL
    if not url:
        _s3_unavailable("S3_TEST_ENDPOINT_URL is not set (make test starts scripts/s3-server.sh).")
    try:
        requests.get(f"{url}/", timeout=5).raise_for_status()
    except requests.RequestException as exc:
        _s3_unavailable(f"The S3-compatible server at {url} does not answer: {exc}")
    return url


@pytest.fixture
def s3_storages(s3_endpoint, settings):
    """Public media and private documents in two fresh buckets of the test
    server, through the settings production uses (``object_storages``); yields
    (boto3 client, media bucket, private bucket). The buckets are emptied and
    removed afterwards."""
    from django.utils.functional import empty
    from sorl.thumbnail import default as thumbnail_default

    from marketplace.settings.base import object_storages

    suffix = uuid.uuid4().hex[:12]
    media_bucket, private_bucket = f"test-media-{suffix}", f"test-private-{suffix}"
    client = s3_client(s3_endpoint)
    for bucket in (media_bucket, private_bucket):
        client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        **object_storages(
            media_bucket=media_bucket,
            private_bucket=private_bucket,
            endpoint_url=s3_endpoint,
            addressing_style="path",
            signed_url_seconds=60,
            **S3_TEST_CREDENTIALS,
        ),
    }
    # sorl keeps its storage object for the process; let it see the new one.
    thumbnail_default.storage._wrapped = empty
    try:
        yield client, media_bucket, private_bucket
    finally:
        thumbnail_default.storage._wrapped = empty
        for bucket in (media_bucket, private_bucket):
            listing = client.list_objects_v2(Bucket=bucket)
            for item in listing.get("Contents", []):
                client.delete_object(Bucket=bucket, Key=item["Key"])
            client.delete_bucket(Bucket=bucket)
