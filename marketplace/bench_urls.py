"""The site's URLs plus one bare view, for benchmarks/load.py only.

Selected as ROOT_URLCONF when BENCH_BARE_VIEW=1 (marketplace/settings/base.py);
never part of the normal URLs. The bare view runs the whole middleware stack
and returns a few bytes: the floor every page's cost is measured against."""

from django.http import HttpResponse
from django.urls import path

from marketplace.urls import handler403, handler404, handler500
from marketplace.urls import urlpatterns as site_urlpatterns

BARE_PATH = "__bench__/bare/"


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path(BARE_PATH, bare, name="bench-bare"), *site_urlpatterns]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
