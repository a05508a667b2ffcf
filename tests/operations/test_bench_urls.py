"""benchmarks/load.py's bare view exists only in marketplace.bench_urls, which
the settings select when BENCH_BARE_VIEW=1; the site's own URLs never have it."""

from django.test import RequestFactory
from django.urls import resolve

from marketplace import bench_urls


def test_the_site_urls_have_no_bare_view():
    assert resolve("/" + bench_urls.BARE_PATH).url_name != "bench-bare"


def test_the_benchmark_urls_add_the_bare_view_to_the_site():
    match = resolve("/" + bench_urls.BARE_PATH, urlconf="marketplace.bench_urls")
    assert match.url_name == "bench-bare"
    response = match.func(RequestFactory().get("/" + bench_urls.BARE_PATH))
    assert response.status_code == 200 and response.content == b"ok"
    assert resolve("/basket/", urlconf="marketplace.bench_urls").url_name == "summary"
