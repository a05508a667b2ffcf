from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout.forms import GatewayForm as OscarGatewayForm
from oscar.apps.checkout.forms import ShippingAddressForm as OscarShippingAddressForm

from common.validators import normalise_mainland_mobile, validate_mainland_mobile
from regions.forms import CountySelectMixin
from regions.models import Region
from regions.selectors import region_shipping_country

__all__ = ["GatewayForm", "ShippingAddressForm"]


class ChineseAddressFormMixin(CountySelectMixin):
    """A mainland address: province/city/county chosen from the GB/T 2260 tree,
    a detailed street address and a mainland mobile number.

    Oscar's address columns are reused: ``state`` holds the province, ``line4``
    the city, ``line3`` the county and ``line1`` the detailed address.
    """

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

    def setup_address_labels(self):
        self.fields["last_name"].label = _("收货人")
        self.fields["line1"].label = _("详细地址")
        self.fields["line1"].help_text = _("街道、门牌号、小区楼栋等")
        self.fields["postcode"].required = False
        # Browsers and password managers fill these in (WCAG 1.3.5).
        for name, token in (
            ("last_name", "shipping name"),
            ("line1", "shipping street-address"),
            ("postcode", "shipping postal-code"),
            ("province", "shipping address-level1"),
        ):
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = token
        if "notes" in self.fields:
            # Oscar's "Instructions", which its Chinese catalogue renders 介绍.
            self.fields["notes"].label = _("配送备注")

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
        return self.region_initial(county)

    def clean_phone_number(self):
        return "+86" + normalise_mainland_mobile(self.cleaned_data["phone_number"])

    def clean(self):
        cleaned = super().clean()
        chain = self.clean_region_chain(cleaned)
        if chain:
            self.instance.state = chain[0].name
            self.instance.line4 = chain[-2].name  # the city; the municipality itself has none
            self.instance.line3 = chain[-1].name
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
        self.setup_address_labels()
        self.order_fields(self.field_order)

    def adjust_country_field(self):
        self.fields.pop("country", None)
        self.instance.country = region_shipping_country()


class GatewayForm(OscarGatewayForm):
    """Oscar's checkout gateway without its "a user with that email address
    already exists" error, which told anyone whether an address has an
    account: a guest checks out with any address, and "create an account"
    leads to the registration page, which answers every address alike."""

    def clean(self):
        if self.is_guest_checkout() or self.is_new_account_checkout():
            self.errors.pop("password", None)
            return self.cleaned_data
        return super(OscarGatewayForm, self).clean()
