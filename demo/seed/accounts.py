"""The demo's user accounts. The logins of people.toml get their password; any
other account a data file names (applicants of the sample producers, reviewers
of other counties) gets an unusable one, so the demo opens no undocumented door."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from demo.data import load


def login(role: str) -> dict:
    """The people.toml entry of ``role`` (staff, consumer, producer, …)."""
    return next(entry for entry in load("people")["logins"] if entry["role"] == role)


def account(email: str, *, password: str | None = None):
    """The user with ``email``, created if missing; returns (user, created).

    A login of people.toml is created with its password, username and staff flag;
    otherwise ``password``, if given, or none at all."""
    spec = next((e for e in load("people")["logins"] if e["email"] == email), {})
    username = spec.get("username", email)
    User = get_user_model()
    user = User.objects.filter(Q(email__iexact=email) | Q(username=username)).order_by("pk").first()
    if user is not None:
        return user, False
    password = spec.get("password", password)
    if spec.get("staff"):
        return User.objects.create_superuser(username, email, password), True
    return User.objects.create_user(username, email, password), True


def staff_account():
    return account(login("staff")["email"])[0]
