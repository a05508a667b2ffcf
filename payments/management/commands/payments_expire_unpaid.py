from django.conf import settings
from django.core.management.base import BaseCommand

from payments.services import stripe_unpaid_orders_expire


class Command(BaseCommand):
    help = (
        "Every few minutes: cancel the orders awaiting card payment for longer than "
        "STRIPE_PAYMENT_TIMEOUT_MINUTES, cancel their PaymentIntents at Stripe and "
        "release their stock. Bank-transfer orders are not touched."
    )

    def handle(self, *args, **options):
        expired = stripe_unpaid_orders_expire()
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(expired)} orders unpaid after {settings.STRIPE_PAYMENT_TIMEOUT_MINUTES} "
                f"minutes cancelled: {', '.join(expired) or '-'}"
            )
        )
