from django import template

from common import roles

register = template.Library()


@register.filter
def is_platform_staff(user) -> bool:
    """``{% if user|is_platform_staff %}``: common.roles' rule in templates."""
    return roles.is_platform_staff(user)
