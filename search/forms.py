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
