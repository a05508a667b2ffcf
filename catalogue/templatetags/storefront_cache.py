"""``{% storefront_cache "kind" part… %}…{% endstorefront_cache %}``: Django's
``{% cache %}`` for storefront blocks, keyed by the catalogue version and the
language as well as the parts given (catalogue.cache), with the visitor's CSRF
token kept out of what is stored and put back on every request.

Context values the block alone uses should be lazy (callables or lazy
objects): on a hit the block is not rendered and they are never evaluated."""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import mark_safe

from catalogue.cache import (
    html_for_cache,
    html_for_request,
    storefront_block_get,
    storefront_cache_key,
    storefront_cache_seconds,
)

register = template.Library()


class StorefrontCacheNode(template.Node):
    def __init__(self, nodelist, kind, parts):
        self.nodelist = nodelist
        self.kind = kind
        self.parts = parts

    def render(self, context):
        kind = self.kind.resolve(context)
        key = storefront_cache_key(kind, *(p.resolve(context) for p in self.parts))
        token = context.get("csrf_token")
        html = storefront_block_get(key)
        if html is None:
            html = html_for_cache(self.nodelist.render(context), csrf_token=token)
            cache.set(key, html, storefront_cache_seconds())
        return mark_safe(html_for_request(html, csrf_token=token))


@register.tag("storefront_cache")
def do_storefront_cache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a kind and optional key parts")
    nodelist = parser.parse(("endstorefront_cache",))
    parser.delete_first_token()
    return StorefrontCacheNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )


@register.simple_tag(takes_context=True)
def visitor_basket_is_empty(context) -> bool:
    """Whether this visitor's basket is the empty one every new visitor has:
    not signed in and no basket cookie (Oscar's BasketMiddleware then gives an
    unsaved empty basket), so a cached rendering of it may be shown. Reads no
    basket."""
    request = context.get("request")
    if request is None:
        return False
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return False
    return settings.OSCAR_BASKET_COOKIE_OPEN not in request.COOKIES
