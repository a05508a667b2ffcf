"""The corpus is built once per test module inside a transaction that stays
open for the module (each test runs in a savepoint within it) and is rolled
back at the end, so other modules never see it. Its Elasticsearch index is
built once per module too, under a prefix of its own."""

import uuid

import pytest
from django.db import transaction
from django.test import override_settings
from elasticsearch_dsl import connections

from search.backends.elasticsearch import CONNECTION_ALIAS, connection
from tests.search.corpus import corpus_load


def _forget_connection():
    try:
        connections.remove_connection(CONNECTION_ALIAS)
    except KeyError:
        pass


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            loaded = corpus_load()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield loaded
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def corpus_es_prefix(corpus, elasticsearch_url, django_db_blocker):
    """The corpus indexed into Elasticsearch, once per module."""
    from search.indexing import search_rebuild_index

    prefix = f"test-corpus-{uuid.uuid4().hex[:12]}"
    with (
        django_db_blocker.unblock(),
        override_settings(ELASTICSEARCH_URL=elasticsearch_url, ELASTICSEARCH_INDEX_PREFIX=prefix),
    ):
        _forget_connection()
        try:
            search_rebuild_index()
        finally:
            _forget_connection()
    yield prefix
    with override_settings(ELASTICSEARCH_URL=elasticsearch_url):
        connection().indices.delete(index=f"{prefix}-*", ignore_unavailable=True)
        _forget_connection()


@pytest.fixture
def corpus_backend(search_backend_name, corpus, request, settings):
    """Search the corpus on each backend in turn; returns the backend's name."""
    if search_backend_name != "elasticsearch":
        yield search_backend_name
        return
    own_prefix = settings.ELASTICSEARCH_INDEX_PREFIX
    settings.ELASTICSEARCH_INDEX_PREFIX = request.getfixturevalue("corpus_es_prefix")
    yield search_backend_name
    # es_backend deletes the indices under its own prefix afterwards, never the corpus's.
    settings.ELASTICSEARCH_INDEX_PREFIX = own_prefix


@pytest.fixture
def corpus_es(corpus, corpus_es_prefix, es_backend, settings):
    """Only Elasticsearch, on the corpus index."""
    own_prefix = settings.ELASTICSEARCH_INDEX_PREFIX
    settings.ELASTICSEARCH_INDEX_PREFIX = corpus_es_prefix
    yield corpus
    settings.ELASTICSEARCH_INDEX_PREFIX = own_prefix
