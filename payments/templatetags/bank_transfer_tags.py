from django import template
from django.conf import settings

from payments.methods import bank_transfer_details
from payments.rules import order_pays_by_bank_transfer
from payments.selectors import order_bank_transfer_figures

register = template.Library()


@register.simple_tag
def bank_transfer_figures(order):
    """``{% bank_transfer_figures order as figures %}``: received and
    outstanding amounts of a bank-transfer order, or None."""
    return order_bank_transfer_figures(order=order)


@register.simple_tag
def bank_transfer_awaited(order):
    """``{% bank_transfer_awaited order as bank_transfer %}``: the account to
    transfer to while a bank-transfer order awaits payment, else None."""
    if order.status != settings.ORDER_STATUS_PENDING_PAYMENT:
        return None
    if not order_pays_by_bank_transfer(order):
        return None
    return bank_transfer_details()
