from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from aftersales.models import CaseKind, CaseReason


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input; each is checked by the service."""

    widget = MultiplePhotoInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultiplePhotoField, self).clean(item, initial) for item in files]


class CaseRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("申请类型"),
        choices=[
            (CaseKind.REFUND_ONLY, CaseKind.REFUND_ONLY.label),
            (CaseKind.RETURN_REFUND, CaseKind.RETURN_REFUND.label),
        ],
        widget=forms.RadioSelect,
    )
    quantity = forms.IntegerField(label=_("数量"), min_value=1)
    reason = forms.ChoiceField(label=_("原因"), choices=CaseReason.choices)
    description = forms.CharField(
        label=_("问题描述"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photos = MultiplePhotoField(
        label=_("照片"),
        required=False,
        help_text=_("JPEG 或 PNG，最多 %(max)s 张。") % {"max": settings.AFTERSALES_MAX_PHOTOS},
    )

    def __init__(self, *args, max_quantity: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quantity"].max_value = max_quantity
        self.fields["quantity"].initial = max_quantity
        self.fields["quantity"].widget.attrs["max"] = max_quantity


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("说明"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnWaybillForm(forms.Form):
    carrier = forms.CharField(label=_("快递公司"), max_length=64)
    tracking_number = forms.CharField(label=_("运单号"), max_length=64)
