from django import template

from common.order_status import order_status_label as _label

register = template.Library()


@register.filter
def order_status_label(status):
    """``{{ order.status|order_status_label }}``: the translated label of a status code."""
    return _label(status or "")
