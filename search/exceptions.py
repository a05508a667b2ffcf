class SearchError(Exception):
    """Base class for search domain errors."""


class IndexUnavailable(SearchError):
    """The search server could not be reached or refused the write."""
