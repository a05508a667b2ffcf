"""Task-queue jobs every app may use."""

import io

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.core.management import call_command


@shared_task(name="common.send_mail")
def common_send_mail(subject: str, body: str, recipients: list[str]) -> int:
    """One e-mail, sent by a worker instead of the request that asked for it
    (``common.notifications.notify_by_email``). Failures are swallowed as
    before the queue: a notice is not worth a failed request or a retry storm."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True)


@shared_task(name="common.management_command")
def common_management_command(command: str, *args: str) -> str:
    """Runs ``manage.py <command> <args>`` in a worker, for periodic jobs that
    are a management command (one line in CELERY_BEAT_SCHEDULE's table,
    ``marketplace.settings.base.PERIODIC_TASKS``); returns what it printed."""
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()
