"""E-mails about payments, sent once their transaction has committed."""

import logging

from django.urls import reverse
from oscar.core.loading import get_class, get_model

logger = logging.getLogger(__name__)

OrderDispatcher = get_class("order.utils", "OrderDispatcher")
Order = get_model("order", "Order")

ORDER_PAID_EVENT_CODE = "ORDER_PAID"


def order_paid_email_send(*, order_id: int) -> None:
    """Tell the buyer their payment arrived, linking to the order."""
    order = Order.objects.select_related("user").get(pk=order_id)
    if not (order.user.email if order.user_id else order.guest_email):
        return
    if order.user_id:
        path = reverse("customer:order", kwargs={"order_number": order.number})
    else:
        path = reverse(
            "customer:anon-order",
            kwargs={"order_number": order.number, "hash": order.verification_hash()},
        )
    context = {"order": order, "lines": order.lines.all(), "status_path": path}
    dispatcher = OrderDispatcher(logger=logger)
    messages = dispatcher.dispatcher.get_messages(ORDER_PAID_EVENT_CODE, context)
    dispatcher.dispatch_order_messages(order, messages, ORDER_PAID_EVENT_CODE)
