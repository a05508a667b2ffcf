"""Links from shop pages (catalogue, producers, checkout, customer) to the
producers' stories.

Catalogue and producers sit below cms and may not import it; their templates
load this library instead."""

from django import template
from django.utils import translation

from cms.selectors import order_support as order_support_of
from cms.selectors import pages_in_language, story_published_of
from common.sites import site_url

register = template.Library()


@register.simple_tag
def published_story(producer):
    """``{% published_story producer as story %}``: the producer's published
    story page, or None (no story, or still a draft), titled in the visitor's
    language where it is translated; its address shows that language."""
    if producer is None:
        return None
    story = story_published_of(producer_id=producer.pk)
    if story is None:
        return None
    return pages_in_language(pages=[story], language=translation.get_language())[0]


@register.simple_tag
def order_support(order):
    """``{% order_support order as support %}``: the counties and producers the
    order supported (cms.selectors.order_support)."""
    return order_support_of(order=order)


# The size WeChat and other link cards show (1.91:1).
SHARE_IMAGE_FILTER = "fill-1200x630|format-jpeg"


@register.simple_tag
def story_share_image(page):
    """The absolute address of the story's first image, for the card a shared
    link shows; "" when the story has no image (the page uses the default)."""
    for block in getattr(page, "body", None) or []:
        if block.block_type == "image":
            image = block.value.get("image")
        elif block.block_type == "gallery":
            items = block.value.get("images") or []
            image = items[0].get("image") if items else None
        else:
            continue
        if image is not None:
            return site_url(image.get_rendition(SHARE_IMAGE_FILTER).url)
    return ""
