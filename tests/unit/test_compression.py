"""Issue 16, weight: production gzips its HTML, and whitenoise can write the
Brotli copies of static files (it skips them silently when Brotli is missing)."""

import gzip

import pytest
from django.urls import reverse

from marketplace.settings.base import GZIP_MIDDLEWARE, production_middleware


def test_production_compresses_html_after_whitenoise(settings):
    middleware = production_middleware(settings.MIDDLEWARE)
    whitenoise = middleware.index("whitenoise.middleware.WhiteNoiseMiddleware")
    assert middleware[whitenoise + 1] == GZIP_MIDDLEWARE
    assert production_middleware(middleware) == middleware


@pytest.mark.django_db
def test_html_pages_are_gzipped_in_production(client, settings):
    settings.MIDDLEWARE = production_middleware(settings.MIDDLEWARE)
    response = client.get(reverse("customer:login"), headers={"accept-encoding": "gzip, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "csrfmiddlewaretoken" in gzip.decompress(response.content).decode()


def test_whitenoise_writes_brotli_copies():
    from whitenoise.compress import Compressor

    assert Compressor(quiet=True).use_brotli
