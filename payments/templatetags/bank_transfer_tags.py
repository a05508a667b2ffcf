from django import template

from payments.selectors import order_bank_transfer_figures

register = template.Library()


@register.simple_tag
def bank_transfer_figures(order):
    """``{% bank_transfer_figures order as figures %}``: received and
    outstanding amounts of a bank-transfer order, or None."""
    return order_bank_transfer_figures(order=order)
