"""What the buyer's order page offers after payment: confirming receipt and
requesting invoices (the rules decide; the page only asks)."""

from django import template
from django.conf import settings

from customer.rules import order_receipt_confirmable

register = template.Library()


@register.filter
def receipt_confirmable(order) -> bool:
    """``{% if order|receipt_confirmable %}``: the buyer may confirm receipt."""
    return order_receipt_confirmable(order)


@register.simple_tag
def receipt_auto_confirm_days() -> int:
    return settings.ORDER_AUTO_CONFIRM_DAYS
