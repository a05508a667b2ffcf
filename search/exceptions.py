from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError


class SearchError(DomainError):
    """Base class for search domain errors."""

    code = "search_error"


class IndexUnavailable(SearchError):
    """The search server could not be reached or refused the write."""

    code = "search_index_unavailable"
    message = _("搜索服务暂时不可用，请稍后再试。")


class IndexRebuildAbandoned(SearchError):
    """The rebuild stopped beating long enough to be taken for dead, and its
    row was cleared: the changes it held were applied to the live index, so
    its new index could miss some and is not swapped in."""

    code = "search_rebuild_abandoned"
    message = _("索引重建长时间没有进展，已被视为中断，新索引未启用；请重新运行重建。")
