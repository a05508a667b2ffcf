from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError


class SearchError(DomainError):
    """Base class for search domain errors."""

    code = "search_error"


class IndexUnavailable(SearchError):
    """The search server could not be reached or refused the write."""

    code = "search_index_unavailable"
    message = _("搜索服务暂时不可用，请稍后再试。")
