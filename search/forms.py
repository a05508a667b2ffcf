from django import forms
from django.forms.widgets import Input
from django.utils.translation import gettext_lazy as _

from search.backends.base import FACET_NAMES, MAX_PAGE, SORT_RELEVANCE, SORTS, SearchQuery


class SearchInput(Input):
    input_type = "search"


class SearchForm(forms.Form):
    """The site-wide search box, sort order and page of every product listing.
    Facet filters travel as repeated GET parameters named after the facet."""

    q = forms.CharField(
        required=False,
        max_length=100,
        label=_("搜索"),
        widget=SearchInput(
            {
                "placeholder": _("搜索商品、产地或生产主体，支持拼音"),
                "class": "form-control",
                "autocomplete": "off",
                # search-suggest.js makes it a combobox over /search/suggest/.
                "data-suggest": "search-suggestions",
                "data-suggest-label": _("搜索建议"),
                "data-suggest-count": _("有 %(count)s 条搜索建议，可用上下方向键选择"),
            }
        ),
    )
    sort_by = forms.ChoiceField(label=_("排序"), choices=SORTS, required=False)
    page = forms.IntegerField(required=False, min_value=1)

    def to_query(self, *, per_page: int, scope: dict | None = None) -> SearchQuery:
        data = self.cleaned_data if self.is_valid() else {}
        filters = {
            name: tuple(v for v in self.data.getlist(name) if v)[:20]
            for name in FACET_NAMES
            if hasattr(self.data, "getlist") and self.data.getlist(name)
        }
        return SearchQuery(
            text=(data.get("q") or "").strip(),
            filters=filters,
            scope=scope or {},
            sort=data.get("sort_by") or SORT_RELEVANCE,
            page=min(data.get("page") or 1, MAX_PAGE),
            per_page=per_page,
        )


class BrowseCategoryForm(SearchForm):
    pass


class CategoryForm(SearchForm):
    pass


class SynonymForm(forms.Form):
    """One English phrase and the Chinese words it means (search.rules.synonym_check
    judges them in the service)."""

    phrase = forms.CharField(
        label=_("英文词"),
        max_length=60,
        help_text=_("买家可能输入的英文，最多三个词，如 kiwi 或 wood ear；大小写不限。"),
    )
    words = forms.CharField(
        label=_("对应的中文词"),
        max_length=200,
        help_text=_("商品标题、品类、产地或生产主体中的中文词，多个用空格或逗号分隔。"),
    )


class SynonymDeleteForm(forms.Form):
    phrase = forms.CharField(max_length=60)
