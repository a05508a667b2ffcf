"""Issue 16, weight: storefront pages link the purged stylesheet (make css),
not Oscar's 280 KB one, and its icon fonts are the committed subsets."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

STATIC = Path(__file__).resolve().parents[2] / "static"


@pytest.mark.django_db
def test_storefront_links_the_purged_stylesheet(client):
    html = client.get(reverse("customer:login")).content.decode()
    assert "marketplace/storefront.css" in html
    assert "oscar/css/styles.css" not in html


def test_purged_stylesheet_keeps_what_scripts_set_and_loads_only_subset_fonts():
    css = (STATIC / "marketplace/storefront.css").read_text()
    # Set by Bootstrap's scripts, or printed from Python (Oscar's availability codes).
    selectors = (".collapse:not(.show)", ".collapsing", ".dropdown-menu.show", ".is-invalid")
    for selector in (*selectors, ".availability.instock", ".star-rating.Three"):
        assert selector in css, selector
    fonts = re.findall(r'url\("([^"]+\.woff2)"\)', css)
    assert fonts and all(f.startswith("fonts/") and f.endswith("-subset.woff2") for f in fonts)
    for font in fonts:
        assert (STATIC / "marketplace" / font).stat().st_size < 8 * 1024
