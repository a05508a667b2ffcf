from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import Region


class CountySelectMixin(forms.Form):
    """Province → city → county selects over the GB/T 2260 tree.

    Each choice narrows the next one's queryset (static/marketplace/region-select.js
    refills them in the browser); municipalities have no city level, so their
    districts hang directly under the province.
    """

    province = forms.ModelChoiceField(
        label=_("省份"),
        queryset=Region.objects.provinces(),
        empty_label=_("请选择省份"),
        error_messages={"required": _("请选择省份。")},
    )
    city = forms.ModelChoiceField(
        label=_("城市"), queryset=Region.objects.none(), required=False, empty_label=_("请选择城市")
    )
    county = forms.ModelChoiceField(
        label=_("区县"),
        queryset=Region.objects.none(),
        empty_label=_("请选择区县"),
        error_messages={"required": _("请选择区县。")},
        # What region-select.js announces in its live region once options load.
        widget=forms.Select(
            attrs={
                "data-loaded-cities": _("已载入 %(count)s 个城市"),
                "data-loaded-counties": _("已载入 %(count)s 个区县"),
                "data-loading": _("正在载入…"),
            }
        ),
    )

    @staticmethod
    def region_initial(county: Region | None) -> dict:
        if county is None:
            return {}
        chain = county.ancestors_and_self()
        initial = {"province": chain[0].pk, "county": county.pk}
        if len(chain) == 3:
            initial["city"] = chain[1].pk
        return initial

    def setup_region_fields(self):
        province = self._selected_region("province", self.fields["province"].queryset)
        city_qs = (
            Region.objects.filter(parent=province, level=Region.Level.CITY)
            if province
            else Region.objects.none()
        )
        self.fields["city"].queryset = city_qs
        city = self._selected_region("city", city_qs)
        if city:
            self.fields["county"].queryset = Region.objects.filter(parent=city)
        elif province:
            self.fields["county"].queryset = Region.objects.filter(
                parent=province, level=Region.Level.COUNTY
            )

    def _selected_region(self, name, queryset):
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        if not value:
            return None
        try:
            return queryset.get(pk=getattr(value, "pk", value))
        except (Region.DoesNotExist, ValueError, TypeError):
            return None

    def clean_region_chain(self, cleaned: dict) -> list[Region] | None:
        """The county's chain (province[, city], county) when the three choices
        agree; otherwise adds the error and returns None."""
        province, city, county = (cleaned.get(k) for k in ("province", "city", "county"))
        if not (province and county):
            return None
        chain = county.ancestors_and_self()
        if county.level != Region.Level.COUNTY:
            self.add_error("county", _("请选择县级行政区划。"))
        elif chain[0] != province or (city and city not in chain):
            self.add_error("county", _("所选区县不属于所选省份或城市。"))
        elif len(chain) == 3 and not city:
            self.add_error("city", _("请选择城市。"))
        else:
            return chain
        return None


class KeyCountyFilterForm(forms.Form):
    """The staff key-county page's filters (GET): unknown values are ignored."""

    FLAGGED_CHOICES = [("", _("全部")), ("yes", _("重点帮扶县")), ("no", _("非重点帮扶县"))]

    province = forms.TypedChoiceField(label=_("省份"), coerce=int, required=False, empty_value=None)
    city = forms.TypedChoiceField(label=_("城市"), coerce=int, required=False, empty_value=None)
    search = forms.CharField(label=_("名称或代码"), required=False, max_length=32)
    flagged = forms.ChoiceField(label=_("标记"), choices=FLAGGED_CHOICES, required=False)

    def __init__(self, *args, cities_of, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [
            ("", _("全部省份")),
            *Region.objects.provinces().order_by("code").values_list("pk", "name"),
        ]
        province = self.data.get("province", "")
        cities = cities_of(province_id=int(province)) if province.isdigit() else []
        self.fields["city"].choices = [("", _("全部城市")), *((c.pk, c.name) for c in cities)]

    def filters(self) -> dict:
        if not self.is_bound:
            data = {}
        elif not self.is_valid():
            # A city that does not belong to the chosen province (or any junk)
            # is dropped, not an error.
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        else:
            data = self.cleaned_data
        flagged = {"yes": True, "no": False}.get(data.get("flagged") or "")
        return {
            "province_id": data.get("province"),
            "city_id": data.get("city"),
            "query": data.get("search") or "",
            "flagged": flagged,
        }
