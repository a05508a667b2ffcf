"""Forms of category proposals (类目申请): the producer's, and staff's decision."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from producers.services.categories import NAME_MAX
from producers.workspace.forms import CategoryChoiceField

Category = get_model("catalogue", "Category")


def _categories():
    return Category.objects.order_by("path")


class CategoryProposalForm(forms.Form):
    name = forms.CharField(label=_("类目名称"), max_length=NAME_MAX)
    parent = CategoryChoiceField(
        label=_("建议上级类目"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("（作为一级类目）"),
    )
    reason = forms.CharField(
        label=_("申请理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _categories()


class CategoryDecisionForm(forms.Form):
    parent = CategoryChoiceField(
        label=_("上级类目"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("（作为一级类目）"),
    )
    note = forms.CharField(label=_("处理意见"), max_length=1000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _categories()
