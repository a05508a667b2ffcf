from django.conf import settings

from search.backends.base import SearchBackend


def get_backend() -> SearchBackend:
    """Elasticsearch when ELASTICSEARCH_URL is set, the database otherwise."""
    if settings.ELASTICSEARCH_URL:
        from search.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend()
    from search.backends.database import DatabaseBackend

    return DatabaseBackend()
