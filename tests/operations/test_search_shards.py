"""Index shards and replicas come from the settings (ELASTICSEARCH_SHARDS,
ELASTICSEARCH_REPLICAS): 1/0 on one development node, 3/1 on deploy/'s
three-node cluster. Applied where the indices are created."""

import pytest

from search.backends.elasticsearch import alias_name
from search.pages import _es_write, pages_index_name

pytestmark = pytest.mark.django_db


def _index_settings(client, index):
    (found,) = client.indices.get_settings(index=index).values()
    return found["settings"]["index"]


def test_a_rebuilt_index_takes_the_configured_shards_and_replicas(
    es_backend, search_index, settings
):
    settings.ELASTICSEARCH_SHARDS = 2
    settings.ELASTICSEARCH_REPLICAS = 1
    search_index()
    index = _index_settings(es_backend, alias_name())
    assert (index["number_of_shards"], index["number_of_replicas"]) == ("2", "1")

    _es_write({1: {"title": "消费帮扶", "text": "", "words": "", "pinyin": ""}}, set())
    pages = _index_settings(es_backend, pages_index_name())
    assert (pages["number_of_shards"], pages["number_of_replicas"]) == ("1", "1")


def test_the_development_default_is_one_shard_without_replicas(es_backend, search_index):
    search_index()
    index = _index_settings(es_backend, alias_name())
    assert (index["number_of_shards"], index["number_of_replicas"]) == ("1", "0")
