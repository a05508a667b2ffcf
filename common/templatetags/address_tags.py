"""Addresses printed in Chinese order (common.addresses)."""

from django import template

from common.addresses import address_lines as _address_lines
from common.addresses import mobile_display

register = template.Library()


@register.filter
def address_lines(address) -> list[str]:
    return _address_lines(address)


@register.filter
def mobile(phone) -> str:
    return mobile_display(phone)
