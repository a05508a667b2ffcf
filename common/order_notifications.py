"""E-mails to the buyer about their order (paid, shipped, invoiced), through
Oscar's communication event types: each renders the
``oscar/communication/emails/commtype_<code>_*`` templates (or a type staff
created in the dashboard, which then also records each e-mail on the order)
and links to the order's page."""

import logging

from django.urls import reverse
from oscar.core.loading import get_class, get_model

logger = logging.getLogger(__name__)

OrderDispatcher = get_class("order.utils", "OrderDispatcher")
Order = get_model("order", "Order")


def order_status_path(order) -> str:
    """The buyer's page of ``order``: their account's, or a guest's own link."""
    if order.user_id:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )


def order_email_send(*, order_id: int, event_code: str, extra_context: dict | None = None) -> None:
    """Send the buyer the ``event_code`` e-mail about the order. Call it once
    the transaction has committed (``transaction.on_commit``)."""
    order = Order.objects.select_related("user").get(pk=order_id)
    if not (order.user.email if order.user_id else order.guest_email):
        return
    context = {
        "order": order,
        "lines": order.lines.all(),
        "status_path": order_status_path(order),
        **(extra_context or {}),
    }
    dispatcher = OrderDispatcher(logger=logger)
    messages = dispatcher.dispatcher.get_messages(event_code, context)
    dispatcher.dispatch_order_messages(order, messages, event_code)
