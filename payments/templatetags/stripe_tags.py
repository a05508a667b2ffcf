from django import template

from payments.selectors import order_awaits_card_payment

register = template.Library()


@register.simple_tag
def awaits_card_payment(order):
    """``{% awaits_card_payment order as payable %}``: the buyer can still pay by card."""
    return order_awaits_card_payment(order=order)
