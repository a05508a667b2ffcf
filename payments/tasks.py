"""Task-queue jobs of payments: thin wrappers around its services."""

from celery import shared_task

from payments.exceptions import StripeRefundFailed
from payments.services import stripe_unpaid_orders_expire, stripe_unwanted_payment_refund


@shared_task(name="payments.expire_unpaid")
def payments_expire_unpaid() -> list[str]:
    """Every 5 minutes (CELERY_BEAT_SCHEDULE), like `manage.py payments_expire_unpaid`:
    the numbers of the card orders cancelled for want of payment."""
    return stripe_unpaid_orders_expire()


@shared_task(
    name="payments.refund_unwanted",
    autoretry_for=(StripeRefundFailed,),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=12,
)
def payments_refund_unwanted(intent_id: str) -> str | None:
    """Queued when Stripe's money reaches an order that does not keep it
    (cancelled, or paid already): refunds it, retrying while Stripe is
    unreachable. The refund's id, or None if nothing was owed."""
    refund = stripe_unwanted_payment_refund(intent_id=intent_id)
    return refund.refund_id if refund is not None else None
