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
        label=_("省份"), queryset=Region.objects.provinces(), empty_label=_("请选择省份")
    )
    city = forms.ModelChoiceField(
        label=_("城市"), queryset=Region.objects.none(), required=False, empty_label=_("请选择城市")
    )
    county = forms.ModelChoiceField(
        label=_("区县"), queryset=Region.objects.none(), empty_label=_("请选择区县")
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
