from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from producers.services import certificates_expiry_report


class Command(BaseCommand):
    help = (
        "Daily: email producers and programme staff the certificates that expire "
        "within CERTIFICATE_EXPIRY_WARNING_DAYS days."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.CERTIFICATE_EXPIRY_WARNING_DAYS,
            help="how far ahead to look (default: %(default)s)",
        )

    def handle(self, *args, days, **options):
        report = certificates_expiry_report(day=timezone.localdate(), within_days=days)
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.certificates} certificates of {report.producers} producers "
                f"expire within {days} days; {report.emails} emails sent"
            )
        )
