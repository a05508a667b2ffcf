"""A listing's photos in the producer's workspace: several per listing up to a
cap, checked by content, removed, reordered; the first is the main image. Only
the listing's own producer's users touch them: anyone else's listing or photo
is refused (404 on the pages) and nothing changes."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalogue.models import ReviewStatus
from catalogue.rules import MAX_PRODUCT_PHOTOS
from producers.services import listing_photo_add, listing_photo_move, listing_photo_remove
from tests.factories import (
    MINIMAL_PDF,
    ProductImageFactory,
    bomb_png_bytes,
    png_bytes,
    product_with_stock,
    stored_files,
    upload,
)
from tests.factories.producers import producer_with_user

ProductImage = get_model("catalogue", "ProductImage")

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing():
    producer, user = producer_with_user()
    product = product_with_stock(producer=producer)
    return producer, user, product


def with_photos(product, count):
    return [ProductImageFactory(product=product, display_order=i) for i in range(count)]


def order_of(product):
    return list(product.images.order_by("display_order").values_list("pk", flat=True))


# --- services ---------------------------------------------------------------------


def test_photos_are_added_last_and_a_live_listing_goes_back_to_review(listing, media_root):
    producer, user, product = listing
    first = listing_photo_add(
        producer=producer, product_id=product.pk, actor=user, image=upload("a.png", png_bytes())
    )
    second = listing_photo_add(
        producer=producer, product_id=product.pk, actor=user, image=upload("b.png", png_bytes())
    )
    assert order_of(product) == [first.pk, second.pk]
    assert product.primary_image().pk == first.pk
    product.refresh_from_db()
    assert product.review_status == ReviewStatus.PENDING
    assert len([p for p in stored_files(media_root) if "cache" not in p.parts]) == 2


def test_the_photo_cap_refuses_one_more_and_stores_nothing(listing, media_root):
    producer, user, product = listing
    with_photos(product, MAX_PRODUCT_PHOTOS)
    before = stored_files(media_root)
    with pytest.raises(Exception) as refused:
        listing_photo_add(
            producer=producer, product_id=product.pk, actor=user, image=upload("c.png", png_bytes())
        )
    assert refused.value.code == "listing_photo_limit"
    assert product.images.count() == MAX_PRODUCT_PHOTOS
    assert stored_files(media_root) == before
    product.refresh_from_db()
    assert product.review_status == ReviewStatus.APPROVED


@pytest.mark.parametrize(
    "content",
    [MINIMAL_PDF, b"not an image at all", bomb_png_bytes(5000, 5000)],
    ids=["pdf", "garbage", "too-many-pixels"],
)
def test_a_bad_image_is_refused_with_a_code_and_changes_nothing(listing, media_root, content):
    producer, user, product = listing
    with pytest.raises(Exception) as refused:
        listing_photo_add(
            producer=producer, product_id=product.pk, actor=user, image=upload("x.png", content)
        )
    assert refused.value.code == "listing_photo_rejected"
    assert str(refused.value)
    assert not product.images.exists()
    assert stored_files(media_root) == []
    product.refresh_from_db()
    assert product.review_status == ReviewStatus.APPROVED


def test_moving_a_photo_up_down_and_first(listing):
    producer, user, product = listing
    a, b, c = with_photos(product, 3)

    def move(image, direction):
        listing_photo_move(
            producer=producer,
            product_id=product.pk,
            image_id=image.pk,
            actor=user,
            direction=direction,
        )

    move(c, "up")
    assert order_of(product) == [a.pk, c.pk, b.pk]
    move(a, "down")
    assert order_of(product) == [c.pk, a.pk, b.pk]
    move(b, "first")
    assert order_of(product) == [b.pk, c.pk, a.pk]
    assert product.primary_image().pk == b.pk
    move(b, "up")  # already first: stays
    assert order_of(product) == [b.pk, c.pk, a.pk]
    assert list(
        product.images.order_by("display_order").values_list("display_order", flat=True)
    ) == [0, 1, 2]
    product.refresh_from_db()
    assert product.review_status == ReviewStatus.APPROVED, (
        "reordering reviewed photos needs no review"
    )


def test_removing_the_main_photo_makes_the_next_one_main(listing):
    producer, user, product = listing
    a, b, c = with_photos(product, 3)
    listing_photo_remove(producer=producer, product_id=product.pk, image_id=a.pk, actor=user)
    assert order_of(product) == [b.pk, c.pk]
    assert product.primary_image().pk == b.pk
    assert list(product.images.values_list("display_order", flat=True).order_by("pk")) == [0, 1]


def test_someone_elses_listing_or_photo_is_refused_and_nothing_changes(listing):
    producer, user, product = listing
    mine = with_photos(product, 2)
    other = product_with_stock()
    theirs = ProductImageFactory(product=other)

    with pytest.raises(Exception) as refused:
        listing_photo_remove(producer=producer, product_id=other.pk, image_id=theirs.pk, actor=user)
    assert refused.value.code == "product_not_owned"
    with pytest.raises(Exception) as refused:
        listing_photo_move(
            producer=producer,
            product_id=product.pk,
            image_id=theirs.pk,
            actor=user,
            direction="first",
        )
    assert refused.value.code == "product_image_not_owned"
    with pytest.raises(Exception) as refused:
        listing_photo_add(
            producer=producer, product_id=other.pk, actor=user, image=upload("a.png", png_bytes())
        )
    assert refused.value.code == "product_not_owned"
    _stranger_producer, stranger = producer_with_user()
    with pytest.raises(Exception) as refused:
        listing_photo_remove(
            producer=producer, product_id=product.pk, image_id=mine[0].pk, actor=stranger
        )
    assert refused.value.code == "producer_permission_denied"

    assert order_of(product) == [image.pk for image in mine]
    assert ProductImage.objects.filter(pk=theirs.pk).exists()
    assert other.images.count() == 1


# --- pages ------------------------------------------------------------------------


def photos_url(producer, product):
    return reverse("producers:workspace-product-photos", args=[producer.pk, product.pk])


def test_the_photos_page_uploads_lists_and_reorders_without_script(client, listing):
    producer, user, product = listing
    client.force_login(user)
    response = client.post(photos_url(producer, product), {"image": upload("a.png", png_bytes())})
    assert response.status_code == 302
    first = product.images.get()
    ProductImageFactory(product=product, display_order=1)
    second = product.images.order_by("display_order").last()

    page = client.get(photos_url(producer, product))
    body = page.content.decode()
    assert "主图" in body and "第 2 张图片" in body
    move = reverse(
        "producers:workspace-product-photo-move", args=[producer.pk, product.pk, second.pk]
    )
    assert f'action="{move}"' in body

    response = client.post(move, {"direction": "first"})
    assert response.status_code == 302
    assert order_of(product) == [second.pk, first.pk]
    assert client.get(move).status_code == 405

    remove = reverse(
        "producers:workspace-product-photo-remove", args=[producer.pk, product.pk, first.pk]
    )
    assert client.post(remove).status_code == 302
    assert order_of(product) == [second.pk]


def test_the_photos_page_says_why_a_bad_upload_is_refused(client, listing, media_root):
    producer, user, product = listing
    client.force_login(user)
    response = client.post(photos_url(producer, product), {"image": upload("a.png", MINIMAL_PDF)})
    assert response.status_code == 200
    assert "仅支持 JPEG 或 PNG" in response.content.decode()
    assert not product.images.exists()


def test_the_photos_page_offers_no_upload_at_the_cap(client, listing):
    producer, user, product = listing
    with_photos(product, MAX_PRODUCT_PHOTOS)
    client.force_login(user)
    body = client.get(photos_url(producer, product)).content.decode()
    assert f"已有 {MAX_PRODUCT_PHOTOS} 张图片" in body
    assert 'type="file"' not in body


def test_someone_elses_product_or_image_id_is_a_404_and_nothing_changes(client, listing):
    producer, user, product = listing
    mine = with_photos(product, 2)
    other = product_with_stock()
    theirs = ProductImageFactory(product=other)
    client.force_login(user)

    urls = [
        photos_url(producer, other),
        reverse("producers:workspace-product-photo-move", args=[producer.pk, other.pk, theirs.pk]),
        reverse(
            "producers:workspace-product-photo-move", args=[producer.pk, product.pk, theirs.pk]
        ),
        reverse(
            "producers:workspace-product-photo-remove", args=[producer.pk, other.pk, theirs.pk]
        ),
        reverse(
            "producers:workspace-product-photo-remove", args=[producer.pk, product.pk, theirs.pk]
        ),
        reverse(
            "producers:workspace-product-photo-remove",
            args=[other.producer.pk, other.pk, theirs.pk],
        ),
    ]
    for url in urls:
        assert (
            client.post(
                url, {"direction": "first", "image": upload("a.png", png_bytes())}
            ).status_code
            == 404
        ), url
    assert order_of(product) == [image.pk for image in mine]
    assert list(other.images.values_list("pk", flat=True)) == [theirs.pk]
