from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.forms import EmailUserCreationForm as OscarEmailUserCreationForm
from oscar.apps.customer.forms import OrderSearchForm as OscarOrderSearchForm
from oscar.apps.customer.forms import UserForm as OscarUserForm
from oscar.apps.customer.utils import normalise_email

from common.validators import normalise_mainland_mobile, validate_mainland_mobile
from customer.rules import email_is_required
from customer.services import SMS_CODE_DIGITS
from producers.exceptions import InvoiceError
from producers.models import InvoiceRequest
from producers.rules import INVOICE_TITLE_MAX_LENGTH, invoice_details_clean


class EmailUserCreationForm(OscarEmailUserCreationForm):
    """Oscar's registration form without its "a user with that email address
    already exists" error: whether an address has an account is told only to
    that address (customer.services.customer_register)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Input purpose (WCAG 1.3.5): browsers offer the address, a new password.
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        for name in ("password1", "password2"):
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = "new-password"

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def save(self, commit=True):
        raise NotImplementedError("accounts are made by customer.services.customer_register")


class MobileCodeForm(forms.Form):
    """A mainland mobile number (typed with +86, spaces or dashes as people
    do) and the code sent to it; the code is needed only to verify, not to
    ask for one."""

    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", "placeholder": "138 0013 8000"}
        ),
    )
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=SMS_CODE_DIGITS,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )
    redirect_url = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, need_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = need_code

    def clean_phone(self):
        phone = normalise_mainland_mobile(self.cleaned_data["phone"])
        validate_mainland_mobile(phone)
        return phone

    def clean_code(self):
        return self.cleaned_data["code"].strip()


class ProfileForm(OscarUserForm):
    """Oscar's profile form, where the e-mail is optional for those who sign in
    by mobile (``customer.rules.email_is_required``)."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.email_optional = "email" in self.fields and not email_is_required(user)
        if self.email_optional:
            self.fields["email"].required = False

    def clean_email(self):
        if self.email_optional and not self.cleaned_data.get("email"):
            return ""
        return super().clean_email()


class OrderSearchForm(OscarOrderSearchForm):
    """Oscar's order-history filter with the browser's own date inputs instead
    of Oscar's date picker, whose scripts (moment with every locale, Tempus
    Dominus: 420 KB) the order history page then no longer loads."""

    date_from = forms.DateField(
        required=False,
        label=OscarOrderSearchForm.base_fields["date_from"].label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        required=False,
        label=OscarOrderSearchForm.base_fields["date_to"].label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class InvoiceRequestForm(forms.Form):
    """The buyer's invoice request (发票): title kind, title, tax number for a
    company, e-mail. ``producers.rules.invoice_details_clean`` judges it, here
    and again in the service."""

    title_kind = forms.ChoiceField(
        label=_("抬头类型"),
        choices=InvoiceRequest.TitleKind.choices,
        initial=InvoiceRequest.TitleKind.PERSONAL,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=_("发票抬头"),
        max_length=INVOICE_TITLE_MAX_LENGTH,
        help_text=_("个人填写姓名，单位填写单位全称。"),
    )
    tax_number = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=30,
        required=False,
        help_text=_("单位抬头必填（18 位）；个人抬头不填。"),
    )
    email = forms.EmailField(label=_("接收邮箱"), help_text=_("发票开具后会通知到这个邮箱。"))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            kind, title, tax_number, email = invoice_details_clean(
                title_kind=data["title_kind"],
                title=data["title"],
                tax_number=data.get("tax_number", ""),
                email=data["email"],
            )
        except InvoiceError as error:
            field = getattr(error, "field", None)
            self.add_error(field if field in self.fields else None, str(error))
            return data
        data.update(title_kind=kind, title=title, tax_number=tax_number, email=email)
        return data
