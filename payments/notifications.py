"""E-mails about payments, sent once their transaction has committed."""

from common.order_notifications import order_email_send

ORDER_PAID_EVENT_CODE = "ORDER_PAID"


def order_paid_email_send(*, order_id: int) -> None:
    """Tell the buyer their payment arrived (by card or bank transfer), linking to the order."""
    order_email_send(order_id=order_id, event_code=ORDER_PAID_EVENT_CODE)
