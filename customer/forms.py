from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.forms import EmailUserCreationForm as OscarEmailUserCreationForm
from oscar.apps.customer.forms import OrderSearchForm as OscarOrderSearchForm
from oscar.apps.customer.forms import UserForm as OscarUserForm
from oscar.apps.customer.utils import normalise_email

from common.validators import normalise_mainland_mobile, validate_mainland_mobile
from customer.rules import email_is_required
from customer.services import SMS_CODE_DIGITS


class EmailUserCreationForm(OscarEmailUserCreationForm):
    """Oscar's registration form without its "a user with that email address
    already exists" error: whether an address has an account is told only to
    that address (customer.services.customer_register)."""

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
