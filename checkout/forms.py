from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout.forms import ShippingAddressForm as OscarShippingAddressForm

from marketplace.validators import normalise_mainland_mobile, validate_mainland_mobile
from producers.models import Region
from producers.selectors import region_shipping_country

__all__ = ["ShippingAddressForm"]


class ChineseAddressFormMixin(forms.Form):
    """A mainland address: province/city/county chosen from the GB/T 2260 tree,
    a detailed street address and a mainland mobile number.

    Oscar's address columns are reused: ``state`` holds the province, ``line4``
    the city, ``line3`` the county and ``line1`` the detailed address.
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

    field_order = [
        "last_name",
        "phone_number",
        "province",
        "city",
        "county",
        "line1",
        "postcode",
        "notes",
    ]

    def setup_mobile_field(self):
        # Replaces the international phone field Oscar's PhoneNumberMixin adds.
        self.fields["phone_number"] = forms.CharField(
            label=_("手机号码"),
            max_length=20,
            validators=[validate_mainland_mobile],
            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        )

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
            # Municipalities have no city level: their districts hang under the province.
            self.fields["county"].queryset = Region.objects.filter(
                parent=province, level=Region.Level.COUNTY
            )
        self.fields["last_name"].label = _("收货人")
        self.fields["line1"].label = _("详细地址")
        self.fields["line1"].help_text = _("街道、门牌号、小区楼栋等")
        self.fields["postcode"].required = False

    def _selected_region(self, name, queryset):
        if self.is_bound:
            value = self.data.get(self.add_prefix(name))
        else:
            value = self.initial.get(name)
            value = getattr(value, "pk", value)
        if not value:
            return None
        try:
            return queryset.get(pk=value)
        except (Region.DoesNotExist, ValueError, TypeError):
            return None

    def initial_regions(self, *, province_name: str, county_name: str) -> dict:
        """Pre-select the regions of a stored address from its names."""
        if not county_name:
            return {}
        county = (
            Region.objects.counties()
            .with_ancestors()
            .filter(name=county_name)
            .filter(Q(parent__name=province_name) | Q(parent__parent__name=province_name))
            .first()
        )
        if county is None:
            return {}
        chain = county.ancestors_and_self()
        initial = {"province": chain[0].pk, "county": county.pk}
        if len(chain) == 3:
            initial["city"] = chain[1].pk
        return initial

    def clean_phone_number(self):
        return "+86" + normalise_mainland_mobile(self.cleaned_data["phone_number"])

    def clean(self):
        cleaned = super().clean()
        province, city, county = (cleaned.get(k) for k in ("province", "city", "county"))
        if province and county:
            chain = county.ancestors_and_self()
            if chain[0] != province or (city and city not in chain):
                self.add_error("county", _("所选区县不属于所选省份或城市。"))
            elif len(chain) == 3 and not city:
                self.add_error("city", _("请选择城市。"))
            else:
                self.instance.state = province.name
                self.instance.line4 = (chain[1] if len(chain) == 3 else province).name
                self.instance.line3 = county.name
        return cleaned


class ShippingAddressForm(ChineseAddressFormMixin, OscarShippingAddressForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "line2", "line3", "line4", "state"):
            self.fields.pop(name, None)
        if not self.is_bound:
            self.initial.update(
                self.initial_regions(
                    province_name=self.initial.get("state") or self.instance.state,
                    county_name=self.initial.get("line3") or self.instance.line3,
                )
            )
        self.setup_mobile_field()
        self.setup_region_fields()
        self.order_fields(self.field_order)

    def adjust_country_field(self):
        self.fields.pop("country", None)
        self.instance.country = region_shipping_country()
