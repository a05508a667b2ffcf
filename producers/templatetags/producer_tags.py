from django import template

from producers.selectors import benefit_linkage_latest

register = template.Library()


@register.simple_tag
def latest_benefit_linkage(producer):
    """The producer's latest figures, for a single product's page.

    One query per call: never use it inside a product-card loop.
    """
    if producer is None:
        return None
    return benefit_linkage_latest(producer=producer)
