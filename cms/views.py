"""The home page at ``/``: Wagtail's page, served with its routing cached."""

from wagtail import views as wagtail_views

from cms.selectors import home_route


def home(request):
    """Wagtail's ``serve`` for ``/``, with the site and the route it would look
    up on every request taken from the storefront cache (``home_route``).
    Wagtail reads both from the request when they are there: view
    restrictions, ``before_serve_page`` hooks and the page's own ``serve`` run
    as they always do."""
    site, route = home_route(request=request)
    request._wagtail_site = site
    request._wagtail_route_for_request = route
    return wagtail_views.serve(request, "")
