"""Telling people by e-mail that something needs them, with the link to act on."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from common.sites import site_url


def notify_by_email(*, users, subject: str, body: str, link: str) -> None:
    """Email the users once the transaction commits (never for a rolled-back
    change), with a link to the page where they act on it (``link``, a path)."""
    body = f"{body}\n\n" + _("查看详情：%(url)s") % {"url": site_url(link)}
    recipients = sorted({user.email for user in users if user.email})
    if recipients:
        transaction.on_commit(
            lambda: send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True
            )
        )
