"""What the buyer's order page offers after payment: confirming receipt and
requesting invoices (the rules decide; the page only asks)."""

from django import template
from django.conf import settings

from customer.rules import order_receipt_confirmable
from producers.models import Producer
from producers.rules import order_invoiceable

register = template.Library()


@register.filter
def receipt_confirmable(order) -> bool:
    """``{% if order|receipt_confirmable %}``: the buyer may confirm receipt."""
    return order_receipt_confirmable(order)


@register.simple_tag
def receipt_auto_confirm_days() -> int:
    return settings.ORDER_AUTO_CONFIRM_DAYS


@register.simple_tag
def order_invoices(order):
    """``{% order_invoices order as invoices %}``: for a paid order, each
    producer in it with its invoice request (or None), in two queries; None
    while the order may not be invoiced."""
    if not order_invoiceable(order):
        return None
    producers = Producer.objects.filter(partner__order_lines__order=order).distinct().order_by("pk")
    requests = {invoice.producer_id: invoice for invoice in order.invoice_requests.all()}
    return [(producer, requests.get(producer.pk)) for producer in producers]
