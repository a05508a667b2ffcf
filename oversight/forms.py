from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import Region


class OfficeForm(forms.Form):
    email = forms.EmailField(label=_("用户邮箱"))
    region_code = forms.CharField(
        label=_("行政区划代码"),
        required=False,
        max_length=6,
        help_text=_("省、市或县的 6 位代码，如 610000 陕西省、611026 柞水县；留空表示全国。"),
    )

    def clean_region_code(self):
        code = self.cleaned_data["region_code"].strip()
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(
                _("没有代码为 %(code)s 的行政区划。"), params={"code": code}
            )
        return region


class BulletinRequestForm(forms.Form):
    """Which region (its code; empty: national) and period a new bulletin covers."""

    region_code = forms.CharField(
        label=_("行政区划代码"),
        required=False,
        max_length=6,
        help_text=_("省、市或县的 6 位代码；留空表示全国（仅限可查看全国的用户）。"),
    )
    period = forms.CharField(
        label=_("统计期间"),
        max_length=10,
        help_text=_("默认按月，如 2026-10；也可填 2026-Q3、2026-H2、2026 或 2026-W43。"),
    )

    def __init__(self, *args, scope, **kwargs):
        self.scope = scope
        super().__init__(*args, **kwargs)

    def clean_region_code(self):
        code = self.cleaned_data["region_code"].strip()
        region = None
        if code:
            region = Region.objects.filter(code=code).select_related("parent__parent").first()
            if region is None:
                raise forms.ValidationError(
                    _("没有代码为 %(code)s 的行政区划。"), params={"code": code}
                )
        if not self.scope.covers(region):
            raise forms.ValidationError(_("您无权查看该地区的数据。"))
        return region

    def clean_period(self):
        from oversight.exceptions import OversightError
        from oversight.periods import period_parse

        try:
            return period_parse(self.cleaned_data["period"])
        except OversightError as exc:
            raise forms.ValidationError(str(exc)) from exc


class BulletinCommentaryForm(forms.Form):
    commentary = forms.CharField(
        label=_("评述"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
