from oscar.apps.customer.forms import EmailUserCreationForm as OscarEmailUserCreationForm
from oscar.apps.customer.utils import normalise_email


class EmailUserCreationForm(OscarEmailUserCreationForm):
    """Oscar's registration form without its "a user with that email address
    already exists" error: whether an address has an account is told only to
    that address (customer.services.customer_register)."""

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def save(self, commit=True):
        raise NotImplementedError("accounts are made by customer.services.customer_register")
