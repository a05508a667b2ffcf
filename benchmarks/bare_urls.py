"""The site's URLs plus a bare view, for benchmarks/pages.py only (its
settings module, benchmarks/pages_settings.py, points ROOT_URLCONF here).

The bare view answers through the same middleware as every page and does
nothing else: the baseline each storefront page's throughput is divided by."""

from django.http import HttpResponse
from django.urls import path

from marketplace.urls import handler403, handler404, handler500
from marketplace.urls import urlpatterns as site_urlpatterns


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("pages-bench-bare/", bare, name="pages-bench-bare"), *site_urlpatterns]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
