"""Mail to a producer's own accounts, sent once the transaction commits (never
for a rolled-back change), with a link to the workspace page where they act."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from common.sites import site_url
from producers.models import Producer


def producer_users_notify(*, producer: Producer, subject: str, body: str, link: str) -> None:
    """``link`` is a path on this site."""
    body = f"{body}\n\n" + _("查看详情：%(url)s") % {"url": site_url(link)}
    recipients = sorted(
        {user.email for user in producer.partner.users.all() if user.email and user.is_active}
    )
    if recipients:
        transaction.on_commit(
            lambda: send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True
            )
        )
