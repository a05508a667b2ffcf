"""Language marking for Chinese data in a page whose interface is not Chinese."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def data_lang() -> str:
    """` lang="zh-Hans"` for an element holding Chinese data (product titles,
    region names, stories) when the interface language is not Chinese, so that
    screen readers switch voice (WCAG 3.1.2); nothing in the Chinese interface."""
    if (get_language() or "").lower().startswith("zh"):
        return ""
    return mark_safe(' lang="zh-Hans"')
