"""Links from shop pages (catalogue, producers, checkout, customer) to the
producers' stories.

Catalogue and producers sit below cms and may not import it; their templates
load this library instead."""

from django import template

from cms.selectors import order_support as order_support_of
from cms.selectors import story_published_of

register = template.Library()


@register.simple_tag
def published_story(producer):
    """``{% published_story producer as story %}``: the producer's published
    story page, or None (no story, or still a draft)."""
    if producer is None:
        return None
    return story_published_of(producer_id=producer.pk)


@register.simple_tag
def order_support(order):
    """``{% order_support order as support %}``: the counties and producers the
    order supported (cms.selectors.order_support)."""
    return order_support_of(order=order)
