"""Task-queue jobs of payments: thin wrappers around its services."""

from celery import shared_task

from payments.services import stripe_unpaid_orders_expire


@shared_task(name="payments.expire_unpaid")
def payments_expire_unpaid() -> list[str]:
    """Every 5 minutes (CELERY_BEAT_SCHEDULE), like `manage.py payments_expire_unpaid`:
    the numbers of the card orders cancelled for want of payment."""
    return stripe_unpaid_orders_expire()
