"""Numbers as people read them: ratios as percentages, money in capitals (大写)."""

from decimal import Decimal, InvalidOperation

from django import template

from common.numbers import amount_in_words, percent_text

register = template.Library()


@register.filter
def percent(value) -> str:
    """A ratio (0.15, 0.0005) as a percentage ("15%", "0.05%"); "" for junk."""
    try:
        return percent_text(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        return ""


@register.filter
def in_words(value) -> str:
    """An amount of money in Chinese capitals (壹佰元整); "" for junk."""
    try:
        return amount_in_words(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        return ""
