"""Product and editors' photos: one pixel limit everywhere they are uploaded,
and thumbnails made when a photo is stored, in every size the templates show."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.template import engines
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form

from catalogue.thumbnails import PRODUCT_THUMBNAILS
from common.uploads import MAX_PHOTO_BYTES, MAX_PHOTO_PIXELS, MAX_PHOTO_SIDE, photo_check
from tests.factories import bomb_png_bytes, png_bytes, upload

THUMBNAIL_TAG = re.compile(r"{%\s*oscar_thumbnail\s+(?P<args>[^%]*?)\s*%}")
LITERALS = {"True": True, "False": False, "None": None}


def _options(arguments: list[str]) -> frozenset:
    options = {}
    for argument in arguments:
        key, value = argument.split("=", 1)
        options[key] = LITERALS.get(value, value.strip("\"'"))
    return frozenset(options.items())


def _template_thumbnail_sizes() -> dict:
    """Every (size, options) any loadable template passes to oscar_thumbnail,
    with the templates that do."""
    found = {}
    for directory in engines["django"].template_dirs:
        for path in Path(directory).rglob("*.html"):
            for match in THUMBNAIL_TAG.finditer(path.read_text(encoding="utf-8")):
                arguments = match["args"].split()
                if "as" in arguments:
                    arguments = arguments[: arguments.index("as")]
                size = arguments[1].strip("\"'")
                found.setdefault((size, _options(arguments[2:])), []).append(str(path))
    return found


def test_the_warmed_thumbnails_are_exactly_the_sizes_the_templates_show():
    in_templates = _template_thumbnail_sizes()
    warmed = {(t.size, frozenset(t.options.items())) for t in PRODUCT_THUMBNAILS}
    assert in_templates, "no template uses oscar_thumbnail: the scan is broken"
    not_warmed = {size: paths for size, paths in in_templates.items() if size not in warmed}
    assert not not_warmed, f"add these to catalogue.thumbnails.PRODUCT_THUMBNAILS: {not_warmed}"
    assert warmed <= set(in_templates), "a warmed size no template shows"


def test_the_photo_limit_is_well_below_pillows_and_admits_its_square():
    assert MAX_PHOTO_PIXELS == 16_000_000
    assert MAX_PHOTO_SIDE == 4000
    photo_check(upload("square.png", bomb_png_bytes(MAX_PHOTO_SIDE, MAX_PHOTO_SIDE)))
    with pytest.raises(ValidationError) as refused:
        photo_check(upload("wide.png", bomb_png_bytes(MAX_PHOTO_SIDE + 1, MAX_PHOTO_SIDE)))
    assert refused.value.code == "too_many_pixels"


@pytest.mark.django_db
def test_wagtail_refuses_an_editors_image_over_the_photo_limits(settings):
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == MAX_PHOTO_PIXELS
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == MAX_PHOTO_BYTES
    form_class = get_image_form(get_image_model())
    refused = form_class(
        data={"title": "39.7 MP"},
        files={"file": upload("huge.png", bomb_png_bytes(7000, 5672))},
    )
    assert not refused.is_valid()
    assert "file" in refused.errors
    accepted = form_class(data={"title": "ok"}, files={"file": upload("ok.png", png_bytes())})
    assert accepted.is_valid(), accepted.errors
