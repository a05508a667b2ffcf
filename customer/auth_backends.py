from django.contrib.auth import get_user_model
from oscar.apps.customer.auth_backends import EmailBackend as OscarEmailBackend
from oscar.apps.customer.utils import normalise_email

User = get_user_model()


class EmailBackend(OscarEmailBackend):
    """Oscar's email login, which hashes the password only when an account has
    the address; an unknown address answered measurably faster (306 against
    541 ms) and so told that the address has no account. It now does the same
    hashing work either way, as Django's ModelBackend does for unknown usernames."""

    def _authenticate(self, request, email=None, password=None, *args, **kwargs):
        user = super()._authenticate(request, email, password, *args, **kwargs)
        identifier = email if email is not None else kwargs.get("username")
        if user is None and password is not None and identifier is not None:
            if not User.objects.filter(email__iexact=normalise_email(identifier)).exists():
                User().set_password(password)
        return user
