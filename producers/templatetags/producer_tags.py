from django import template

from common.sites import site_url
from producers.selectors import benefit_linkage_latest
from producers.structured_data import (
    json_ld_script,
    producer_data,
    product_data,
    product_image_urls,
)

register = template.Library()


@register.simple_tag
def latest_benefit_linkage(producer):
    """The producer's latest figures, for a single product's page.

    One query per call: never use it inside a product-card loop.
    """
    if producer is None:
        return None
    return benefit_linkage_latest(producer=producer)


@register.simple_tag
def product_json_ld(product, session):
    """The listing's schema.org Product block, priced as the buyer sees it
    (``session`` is Oscar's purchase info for the product)."""
    price = None
    if session.price.exists:
        price = session.price.incl_tax if session.price.is_tax_known else session.price.excl_tax
    return json_ld_script(
        product_data(
            product,
            price=price,
            available=session.availability.is_available_to_buy,
            image_urls=product_image_urls(product),
        )
    )


@register.simple_tag
def producer_json_ld(producer):
    return json_ld_script(producer_data(producer))


@register.simple_tag
def product_share_image(product):
    """The first photo's absolute address, for the card a shared link shows."""
    urls = product_image_urls(product)
    return site_url(urls[0]) if urls else ""
