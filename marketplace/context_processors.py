from django.conf import settings
from django.templatetags.static import static
from django.utils.encoding import iri_to_uri
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from common.sites import site_url
from customer.rules import user_roles


def marketplace(request):
    return {
        "show_sample_data_banner": settings.MARKETPLACE_SHOW_SAMPLE_DATA_BANNER,
        # The header's entries to each role's work (customer.rules.ROLE_HOMES);
        # asked only on pages that show them.
        "user_roles": SimpleLazyObject(lambda: user_roles(request.user)),
        "canonical_url": SimpleLazyObject(lambda: canonical_url(request)),
        "default_og_image": SimpleLazyObject(lambda: site_url(static(DEFAULT_OG_IMAGE))),
    }


DEFAULT_OG_IMAGE = "marketplace/og-default.png"


def canonical_url(request) -> str:
    """The page's one address on SITE_DOMAIN: the path, and the page number of a
    paginated list; sort orders, filters and tracking parameters are the same page."""
    page = request.GET.get("page", "")
    query = f"?{urlencode({'page': page})}" if page.isdigit() and page != "1" else ""
    return site_url(iri_to_uri(request.path)) + query
