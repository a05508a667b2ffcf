"""Task-queue jobs of producers: thin wrappers around their services."""

from dataclasses import asdict

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from producers.services import certificates_expiry_report


@shared_task(name="producers.report_expiring_certificates")
def producers_report_expiring_certificates(within_days: int | None = None) -> dict:
    """Daily (CELERY_BEAT_SCHEDULE), like `manage.py producers_report_expiring_certificates`:
    e-mails the certificates that lapse within ``within_days`` days
    (default CERTIFICATE_EXPIRY_WARNING_DAYS) and returns the counts."""
    if within_days is None:
        within_days = settings.CERTIFICATE_EXPIRY_WARNING_DAYS
    report = certificates_expiry_report(day=timezone.localdate(), within_days=within_days)
    return asdict(report)
