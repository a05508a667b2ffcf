"""Numbers as people read them: ratios as percentages."""

from decimal import Decimal, InvalidOperation

from django import template

from common.numbers import percent_text

register = template.Library()


@register.filter
def percent(value) -> str:
    """A ratio (0.15, 0.0005) as a percentage ("15%", "0.05%"); "" for junk."""
    try:
        return percent_text(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        return ""
