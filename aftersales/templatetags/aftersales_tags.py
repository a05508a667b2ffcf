from django import template

from aftersales import selectors

register = template.Library()


@register.simple_tag
def order_aftersales(order, user):
    """``{% order_aftersales order user as aftersales %}``: what the buyer may
    do on the order page (cancel, ask per line) and the order's cases; nothing
    for anyone but the buyer."""
    if not selectors.order_is_buyers(order=order, user=user):
        return None
    open_quantities = selectors.order_line_quantities_open(order=order)
    return {
        "cancellable": selectors.order_cancellable(order=order),
        "requestable": [line for line in order.lines.all() if open_quantities.get(line.pk, 0) > 0],
        "cases": list(selectors.cases_of_order(order=order)),
    }


@register.simple_tag
def order_aftersales_for_staff(order):
    """``{% order_aftersales_for_staff order as aftersales %}``: whether staff
    may cancel the order, and its cases, for the dashboard order page."""
    return {
        "cancellable": selectors.order_cancellable(order=order),
        "cases": list(selectors.cases_of_order(order=order)),
    }
