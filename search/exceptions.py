from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError


class SearchError(DomainError):
    """Base class for search domain errors."""

    code = "search_error"


class IndexUnavailable(SearchError):
    """The search server could not be reached or refused the write."""

    code = "search_index_unavailable"
    message = _("搜索服务暂时不可用，请稍后再试。")


class SynonymStaffOnly(SearchError):
    """Only programme staff edit the search synonyms."""

    code = "search_synonym_staff_only"
    message = _("只有平台工作人员可以编辑搜索同义词。")


class SynonymPhraseInvalid(SearchError):
    """The English phrase holds no Latin letters (or is too long)."""

    code = "search_synonym_phrase_invalid"
    message = _("英文词须由英文字母组成，最多三个词、60 个字符，如 kiwi 或 wood ear。")


class SynonymWordsMissing(SearchError):
    """No Chinese word to search for."""

    code = "search_synonym_words_missing"
    message = _("请至少填写一个中文词，多个词用空格或逗号分隔。")


class SynonymNotFound(SearchError):
    """Deleting a phrase staff never added (the file's entries are not deleted here)."""

    code = "search_synonym_not_found"
    message = _("没有这个由工作人员添加的英文词；文件中的词条不能在这里删除。")


class IndexRebuildAbandoned(SearchError):
    """The rebuild stopped beating long enough to be taken for dead, and its
    row was cleared: the changes it held were applied to the live index, so
    its new index could miss some and is not swapped in."""

    code = "search_rebuild_abandoned"
    message = _("索引重建长时间没有进展，已被视为中断，新索引未启用；请重新运行重建。")
