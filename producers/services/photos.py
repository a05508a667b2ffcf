"""A listing's photos in the producer's workspace: add, remove and reorder
them. The first photo (``display_order`` 0) is the listing's main image, the
one product cards show; the cap and the content check are the listing
services' (``catalogue.rules.MAX_PRODUCT_PHOTOS``, ``common.uploads.photo_check``).

A new photo is a new claim and sends a live listing back to review (through
``product_listing_update``); removing or reordering reviewed photos shows
nothing unreviewed, so it applies at once."""

from django.db import transaction
from oscar.core.loading import get_model

from catalogue import services as catalogue_services
from catalogue.lock_objects import product_lock
from producers.exceptions import ProductImageNotOwned, ProductNotOwned
from producers.models import Producer
from producers.services.workspace import _require_producer_user

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")

PHOTO_MOVES = ("up", "down", "first")


def _own_listing(*, producer: Producer, product_id: int) -> "Product":
    """One of the producer's own listings (not a variant), locked."""
    if not Product.objects.filter(pk=product_id, producer=producer, parent=None).exists():
        raise ProductNotOwned()
    return product_lock(pk=product_id)


def _own_photo(*, product, image_id: int) -> "ProductImage":
    image = ProductImage.objects.filter(pk=image_id, product=product).first()
    if image is None:
        raise ProductImageNotOwned()
    return image


@transaction.atomic
def listing_photo_add(*, producer: Producer, product_id: int, actor, image) -> "ProductImage":
    """Add ``image`` (an upload) as the listing's last photo."""
    _require_producer_user(producer=producer, actor=actor)
    product = _own_listing(producer=producer, product_id=product_id)
    catalogue_services.product_listing_update(product=product, actor=actor, image=image)
    return product.images.order_by("-display_order", "-pk").first()


@transaction.atomic
def listing_photo_remove(*, producer: Producer, product_id: int, image_id: int, actor) -> None:
    """Remove one photo; the others close ranks, so the next becomes the main image."""
    _require_producer_user(producer=producer, actor=actor)
    product = _own_listing(producer=producer, product_id=product_id)
    image = _own_photo(product=product, image_id=image_id)
    storage, name = image.original.storage, image.original.name
    # Oscar's ProductImage.delete renumbers the rest 0, 1, 2, …
    image.delete()
    # The file goes only once the row's removal has committed.
    transaction.on_commit(lambda: storage.delete(name) if name else None)


@transaction.atomic
def listing_photo_move(
    *, producer: Producer, product_id: int, image_id: int, actor, direction: str
) -> None:
    """Move one photo a place ``up`` or ``down``, or ``first`` (the main image)."""
    if direction not in PHOTO_MOVES:
        raise ValueError(f"unknown photo move {direction!r}")
    _require_producer_user(producer=producer, actor=actor)
    product = _own_listing(producer=producer, product_id=product_id)
    moved = _own_photo(product=product, image_id=image_id)
    images = list(product.images.order_by("display_order", "pk"))
    index = next(i for i, image in enumerate(images) if image.pk == moved.pk)
    target = {"up": index - 1, "down": index + 1, "first": 0}[direction]
    images.insert(max(0, min(target, len(images) - 1)), images.pop(index))
    for order, image in enumerate(images):
        image.display_order = order
    ProductImage.objects.bulk_update(images, ["display_order"])
