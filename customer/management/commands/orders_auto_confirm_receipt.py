from django.conf import settings
from django.core.management.base import BaseCommand

from customer.services import orders_auto_confirm_receipt


class Command(BaseCommand):
    help = (
        "Once a day: confirm receipt of the orders shipped at least ORDER_AUTO_CONFIRM_DAYS "
        "days ago that their buyers have not confirmed (the orders become complete)."
    )

    def handle(self, *args, **options):
        confirmed = orders_auto_confirm_receipt()
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(confirmed)} orders shipped {settings.ORDER_AUTO_CONFIRM_DAYS} or more days "
                f"ago confirmed received: {', '.join(confirmed) or '-'}"
            )
        )
