"""Production settings with the bare view's URLs (benchmarks/bare_urls.py),
for the gunicorn that benchmarks/pages.py starts; nothing else uses them."""

from marketplace.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bare_urls"
