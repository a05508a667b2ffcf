"""Telling people by e-mail that something needs them, with the link to act on."""

from django.db import transaction
from django.utils.translation import gettext as _

from common.sites import site_url
from common.tasks import common_send_mail


def notify_by_email(*, users, subject: str, body: str, link: str) -> None:
    """Email the users once the transaction commits (never for a rolled-back
    change), with a link to the page where they act on it (``link``, a path).
    A worker sends it (``common.tasks.common_send_mail``; inside the request
    when tasks run eagerly)."""
    body = f"{body}\n\n" + _("查看详情：%(url)s") % {"url": site_url(link)}
    recipients = sorted({user.email for user in users if user.email})
    if recipients:
        # robust: a broker that cannot be reached is logged, never a failed request.
        transaction.on_commit(
            lambda: common_send_mail.delay(str(subject), body, recipients), robust=True
        )
