import logging

from django.conf import settings

from search.backends.base import SearchBackend, SearchQuery, SearchResults

logger = logging.getLogger(__name__)


def get_backend() -> SearchBackend:
    """Elasticsearch when ELASTICSEARCH_URL is set, the database otherwise."""
    if settings.ELASTICSEARCH_URL:
        return _ElasticsearchOrDatabase()
    from search.backends.database import DatabaseBackend

    return DatabaseBackend()


class _ElasticsearchOrDatabase:
    """Elasticsearch, and the database while Elasticsearch cannot answer: the
    index not built yet (a fresh deploy before search_rebuild_index) or the
    server unreachable. Shoppers get slower results instead of a 500; the
    warning tells operators. Any other error (a bad query) still raises."""

    def __init__(self):
        from elasticsearch import NotFoundError, TransportError

        from search.backends.elasticsearch import ElasticsearchBackend

        self._unavailable = (NotFoundError, TransportError)
        self._elasticsearch = ElasticsearchBackend()

    def _database(self, exc: Exception):
        from search.backends.database import DatabaseBackend

        logger.warning("Elasticsearch cannot answer (%s); searching the database instead.", exc)
        return DatabaseBackend()

    def search(self, query: SearchQuery) -> SearchResults:
        try:
            return self._elasticsearch.search(query)
        except self._unavailable as exc:
            return self._database(exc).search(query)

    def suggest(self, prefix: str, *, limit: int = 8) -> list[str]:
        try:
            return self._elasticsearch.suggest(prefix, limit=limit)
        except self._unavailable as exc:
            return self._database(exc).suggest(prefix, limit=limit)
