from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalogue.exceptions import ReferencePriceError
from catalogue.rules import reference_price_check
from regions.models import Region

Category = get_model("catalogue", "Category")


class ProductReviewForm(forms.Form):
    APPROVE = "approve"
    REJECT = "reject"

    action = forms.ChoiceField(
        label=_("审核结论"),
        choices=[(APPROVE, _("审核通过，上架")), (REJECT, _("驳回"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("驳回时必填，生产主体将看到该说明。"),
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == self.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", _("驳回时请写明原因，生产主体会看到它。"))
        return data


class ReferencePriceForm(forms.Form):
    """A reference market price as staff type it; its rules are
    catalogue.rules.reference_price_check's, run in clean()."""

    category = forms.ModelChoiceField(
        label=_("商品品类"), queryset=Category.objects.order_by("path")
    )
    region = forms.ModelChoiceField(
        label=_("适用省份"),
        queryset=Region.objects.provinces().order_by("code"),
        required=False,
        empty_label=_("全国通用"),
    )
    price = forms.DecimalField(label=_("参考价（元）"), max_digits=12, decimal_places=2)
    unit = forms.CharField(
        label=_("计价单位"), max_length=16, help_text=_("如：500g、斤、箱（10kg）。")
    )
    source = forms.CharField(
        label=_("价格来源"),
        max_length=128,
        help_text=_("如：某市农产品批发市场零售价、商务部监测价。"),
    )
    observed_on = forms.DateField(
        label=_("采价日期"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.data_checked = reference_price_check(**cleaned)
        except ReferencePriceError as exc:
            raise forms.ValidationError(str(exc), code=exc.code) from None
        return cleaned


class StaffTableUploadForm(forms.Form):
    """A staff spreadsheet: reference prices here, pairings in procurement."""

    file = forms.FileField(
        label=_("表格文件"),
        help_text=_("XLSX 或 CSV 文件，不超过 5 MB；第一行为表头。"),
        widget=forms.FileInput(
            attrs={
                "accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet,text/csv"
            }
        ),
    )
