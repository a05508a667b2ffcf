"""The thumbnails of product photos, made when a photo is stored rather than
by the first visitor who renders a page showing it.

``PRODUCT_THUMBNAILS`` is every size the templates ask ``{% oscar_thumbnail %}``
for (Oscar's own templates, which we extend rather than copy, and ours);
``tests/catalogue/test_thumbnails.py`` reads every template and fails when a
template asks for a size that is not listed here, or one listed is asked for by
none. The options must be exactly the template's: they are part of the
thumbnail's cache key.
"""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from oscar.core.thumbnails import get_thumbnailer

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ThumbnailSize:
    size: str
    options: dict = field(default_factory=dict)
    shown_on: str = ""


PRODUCT_THUMBNAILS = (
    ThumbnailSize("x155", {"upscale": False}, "product cards, review form"),
    ThumbnailSize("440x400", {"upscale": False}, "product page gallery"),
    ThumbnailSize("65x55", {"crop": "center"}, "product page gallery strip"),
    ThumbnailSize("100x100", {"upscale": False}, "basket, checkout, wish lists"),
    ThumbnailSize("200x200", {"upscale": False}, "order confirmation, dashboard image field"),
    ThumbnailSize("70x70", {"upscale": False}, "dashboard product list"),
)


def warm_product_image_thumbnails(image) -> None:
    """Make every thumbnail the templates show of ``image`` (a ProductImage).

    Safe to call again: a thumbnail already made is only looked up. A failure
    is logged and left to the page, which makes the thumbnail on demand as
    before; the photo is stored either way."""
    thumbnailer = get_thumbnailer()
    for thumbnail in PRODUCT_THUMBNAILS:
        try:
            thumbnailer.generate_thumbnail(image.original, size=thumbnail.size, **thumbnail.options)
        except Exception:  # noqa: BLE001 - storage or decoder trouble must not undo the upload
            logger.exception(
                "thumbnail %s of product image %s could not be made", thumbnail.size, image.pk
            )


def product_image_thumbnails_schedule(image) -> None:
    """Warm ``image``'s thumbnails once the transaction that stored it commits."""
    transaction.on_commit(lambda: warm_product_image_thumbnails(image))
