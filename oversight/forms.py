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
