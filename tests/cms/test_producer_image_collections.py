"""Each producer's images live in its own Wagtail collection (issue 12, images):
its users upload there, choose only from there (and the shared collection
editors fill), and nobody else can read, change, delete or choose them."""

import io
import re

import pytest
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.urls import URLPattern, reverse
from wagtail.images import admin_urls as image_admin_urls
from wagtail.images import get_image_model
from wagtail.images.views.chooser import viewset as image_chooser_viewset
from wagtail.models import Collection, GroupCollectionPermission
from wagtail.models.media import UploadedFile

from cms.models import ProducerImageCollection
from cms.services import SHARED_COLLECTION
from tests.factories import (
    CountyReviewerFactory,
    county,
    jpeg_bytes,
    png_bytes,
    producer_with_user,
    upload,
)
from tests.factories.cms import story_page

pytestmark = pytest.mark.django_db

Image = get_image_model()
SECRET_TITLE = "甲合作社的私有照片"


def _image(collection, title, user=None):
    return Image.objects.create(
        title=title,
        collection=collection,
        uploaded_by_user=user,
        file=ImageFile(io.BytesIO(png_bytes(60, 40)), name="photo.png"),
    )


@pytest.fixture
def world():
    producer, writer = producer_with_user()
    other_producer, other_writer = producer_with_user()
    other_producer.county = county("610924")  # 紫阳县
    other_producer.save()
    story_page(producer, publish=False)
    story_page(other_producer, publish=False)
    own = producer.image_collection.collection
    return {
        "producer": producer,
        "writer": writer,
        "other_writer": other_writer,
        "other_producer": other_producer,
        "collection": own,
        "image": _image(own, SECRET_TITLE, writer),
        "foreign_reviewer": CountyReviewerFactory(county=other_producer.county).user,
    }


def test_a_producer_gets_its_own_collection_under_producers_with_image_permissions(world):
    collection = world["collection"]
    assert collection.name == world["producer"].name
    assert collection.get_parent().name == "生产主体"
    granted = set(
        GroupCollectionPermission.objects.filter(collection=collection).values_list(
            "group__name", "permission__codename"
        )
    )
    group = f"story-editors-producer-{world['producer'].pk}"
    assert granted == {(group, c) for c in ("add_image", "choose_image", "change_image")}


def test_the_ensure_command_gives_existing_producers_their_collection(world):
    ProducerImageCollection.objects.filter(producer=world["producer"]).delete()
    call_command("cms_ensure_pages", stdout=io.StringIO())
    call_command("cms_ensure_pages", stdout=io.StringIO())
    link = ProducerImageCollection.objects.get(producer=world["producer"])
    assert link.collection.get_parent().name == "生产主体"
    assert Collection.objects.filter(name=SHARED_COLLECTION).count() == 1
    assert Collection.objects.filter(name="生产主体").count() == 1


def test_a_writers_upload_lands_in_its_own_collection(client, world):
    client.force_login(world["writer"])
    for url, data in (
        (reverse("wagtailimages:add"), {"title": "大棚"}),
        (reverse("wagtailimages_chooser:create"), {"image-chooser-upload-title": "晾晒"}),
    ):
        file_field = "image-chooser-upload-file" if "chooser" in url else "file"
        response = client.post(url, {**data, file_field: upload("p.png", png_bytes(80, 60))})
        assert response.status_code in (200, 302), url
    titles = set(
        Image.objects.filter(collection=world["collection"]).values_list("title", flat=True)
    )
    assert {"大棚", "晾晒"} <= titles


def test_the_upload_checks_hold_for_producer_users(client, world):
    client.force_login(world["writer"])
    whole = jpeg_bytes(400, 300)
    before = Image.objects.count()
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "坏图", "file": upload("cut.jpg", whole[: len(whole) // 2], "image/jpeg")},
    )
    assert response.status_code == 200
    assert "图片文件已损坏" in response.content.decode()
    assert Image.objects.count() == before


def test_the_chooser_shows_own_and_shared_images_only(client, world):
    shared = Collection.objects.get(name=SHARED_COLLECTION)
    _image(shared, "公共的秦岭风光")
    client.force_login(world["other_writer"])
    _image(world["other_producer"].image_collection.collection, "乙合作社的照片")
    html = client.get(reverse("wagtailimages_chooser:choose")).json()["html"]
    assert "乙合作社的照片" in html and "公共的秦岭风光" in html
    assert SECRET_TITLE not in html


def _text(response) -> str:
    """The response's text; a chooser's JSON answer decoded (its HTML escapes non-ASCII)."""
    if response.get("Content-Type", "").startswith("application/json"):
        return str(response.json())
    return response.content.decode()


def _image_urls(world):
    """Every URL of Wagtail's image admin and image chooser, filled in for the
    first producer's image."""
    upload_ = UploadedFile.objects.create(
        file=upload("u.png", png_bytes()), uploaded_by_user=world["writer"]
    )
    values = {
        "image_id": world["image"].pk,
        "pk": world["image"].pk,
        "filter_spec": "fill-100x100",
        "uploaded_file_id": upload_.pk,
    }
    urls = []
    for namespace, patterns in (
        ("wagtailimages", image_admin_urls.urlpatterns),
        ("wagtailimages_chooser", image_chooser_viewset.get_urlpatterns()),
    ):
        for pattern in patterns:
            assert isinstance(pattern, URLPattern)
            params = set(re.compile(pattern.pattern.regex.pattern).groupindex)
            urls.append(
                reverse(f"{namespace}:{pattern.name}", kwargs={p: values[p] for p in params})
            )
    assert len(urls) >= 17
    return urls


@pytest.mark.parametrize("who", ["other_writer", "foreign_reviewer", "anonymous"])
def test_no_image_url_reads_changes_or_chooses_another_producers_image(client, world, who):
    image = world["image"]
    urls = _image_urls(world)
    if who != "anonymous":
        client.force_login(world[who])
    for url in urls:
        for method in (client.get, client.post):
            response = method(url, {"title": "改掉", "collection": world["collection"].pk})
            assert response.status_code in (200, 302, 400, 403, 404, 405), (method, url)
            body = _text(response)
            assert SECRET_TITLE not in body, (method, url)
            assert image.file.name.rsplit(".", 1)[0] not in body, (method, url)
            if response.status_code == 302:
                assert "/login/" in response["Location"] or response["Location"] in (
                    "/cms/",
                    reverse("wagtailadmin_home"),
                ), (url, response["Location"])
    image.refresh_from_db()
    assert image.title == SECRET_TITLE
    assert list(Image.objects.filter(collection=world["collection"])) == [image]


def test_the_product_chooser_lists_only_the_writers_own_products(client, world):
    from tests.factories import product_with_stock

    product_with_stock(producer=world["producer"], title="甲社的木耳")
    product_with_stock(
        producer=world["other_producer"], title="乙社待审的茶叶", review_status="pending"
    )
    client.force_login(world["writer"])
    html = client.get(reverse("product_chooser:choose")).json()["html"]
    assert "甲社的木耳" in html and "乙社待审的茶叶" not in html
    client.force_login(world["foreign_reviewer"])
    html = client.get(reverse("product_chooser:choose")).json()["html"]
    assert "甲社的木耳" not in html
