from django import forms
from django.forms.widgets import Input
from django.utils.translation import gettext_lazy as _


class SearchInput(Input):
    input_type = "search"


class SearchForm(forms.Form):
    """The site-wide search box and the sort control of every product listing."""

    RELEVANCY = "relevancy"
    NEWEST = "newest"
    PRICE_LOW_TO_HIGH = "price-asc"
    PRICE_HIGH_TO_LOW = "price-desc"
    SORT_BY_CHOICES = [
        (RELEVANCY, _("综合排序")),
        (NEWEST, _("最新上架")),
        (PRICE_LOW_TO_HIGH, _("价格从低到高")),
        (PRICE_HIGH_TO_LOW, _("价格从高到低")),
    ]

    q = forms.CharField(
        required=False,
        max_length=100,
        label=_("搜索"),
        widget=SearchInput(
            {"placeholder": _("搜索商品、产地或生产主体"), "tabindex": "1", "class": "form-control"}
        ),
    )
    sort_by = forms.ChoiceField(
        label=_("排序"),
        choices=SORT_BY_CHOICES,
        widget=forms.Select(),
        required=False,
    )

    def cleaned_query(self) -> str:
        return self.cleaned_data.get("q", "").strip() if self.is_valid() else ""

    def cleaned_sort(self) -> str:
        return (
            (self.cleaned_data.get("sort_by") or self.RELEVANCY)
            if self.is_valid()
            else self.RELEVANCY
        )


class BrowseCategoryForm(SearchForm):
    pass


class CategoryForm(SearchForm):
    pass
