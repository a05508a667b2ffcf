"""Accounts named by an e-mail address someone else typed (an invitation, an
appointment)."""

from django.contrib.auth import get_user_model


def user_for_email(email: str):
    """The account with this address (case-insensitive), or a new one without a
    usable password, which its owner claims through password reset."""
    User = get_user_model()
    email = User.objects.normalize_email(email.strip())
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        user = User(username=email[:150], email=email)
        user.set_unusable_password()
        user.save()
    return user
