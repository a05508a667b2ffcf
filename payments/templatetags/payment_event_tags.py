from django import template

from payments.methods import payment_event_label as label_of

register = template.Library()


@register.filter
def payment_event_label(event_type) -> str:
    """``{{ event.event_type|payment_event_label }}``: the kind of payment
    event (到账, 退款) in the reader's language."""
    return label_of(event_type)
