"""The token in an account activation link (Django's password-reset tokens,
salted apart): it expires after ``PASSWORD_RESET_TIMEOUT`` and dies once the
account is active or has logged in."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "customer.tokens.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


activation_token = ActivationTokenGenerator()
