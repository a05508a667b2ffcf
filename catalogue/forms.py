from django import forms
from django.utils.translation import gettext_lazy as _


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
