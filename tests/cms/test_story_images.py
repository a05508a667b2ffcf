"""Editors' and cooperatives' images in Wagtail: the photo content check, and
renditions as <picture> with WebP, a fallback, srcset and lazy loading."""

import io

import pytest
from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form

from tests.factories import ProducerFactory, StaffUserFactory, jpeg_bytes, png_bytes, upload
from tests.factories.cms import story_page

pytestmark = pytest.mark.django_db


def _form(name, data):
    return get_image_form(get_image_model())(
        data={"title": name}, files={"file": upload(name, data)}
    )


def _gif_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(buffer, format="GIF")
    return buffer.getvalue()


def test_a_truncated_jpeg_is_refused_with_a_chinese_message():
    whole = jpeg_bytes(400, 300)
    form = _form("cut.jpg", whole[: len(whole) // 2])
    assert not form.is_valid()
    assert "图片文件已损坏" in str(form.errors["file"])


def test_a_file_that_is_not_a_jpeg_or_png_is_refused_whatever_its_name():
    form = _form("really.gif", _gif_bytes())
    assert not form.is_valid()
    assert "file" in form.errors


def test_the_admin_upload_refuses_a_bad_image_and_keeps_nothing(client):
    client.force_login(StaffUserFactory(is_superuser=True))
    whole = jpeg_bytes(400, 300)
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "坏图", "file": upload("cut.jpg", whole[: len(whole) // 2])},
    )
    assert response.status_code == 200
    assert "图片文件已损坏" in response.content.decode()
    assert not get_image_model().objects.exists()


def test_a_real_photo_is_accepted():
    assert _form("ok.png", png_bytes()).is_valid()


def _image():
    return get_image_model().objects.create(
        title="木耳大棚", file=ImageFile(io.BytesIO(jpeg_bytes(1600, 1200)), name="farm.jpg")
    )


def test_story_images_render_as_picture_with_webp_fallback_srcset_and_lazy_loading(client):
    image = _image()
    body = [
        ("image", {"image": image, "caption": "金米村的木耳大棚", "alt": "木耳大棚"}),
        (
            "gallery",
            {"images": [{"image": image, "alt": a, "caption": ""} for a in ("采摘", "晾晒")]},
        ),
    ]
    story = story_page(ProducerFactory(), body=body)

    html = client.get(story.url).content.decode()

    assert html.count("<picture") == 3
    assert 'type="image/webp"' in html
    assert ".webp " in html and ".jpg" in html  # a WebP srcset and the JPEG fallback
    assert "srcset=" in html and "sizes=" in html
    assert html.count('loading="lazy"') >= 2
    assert 'alt="木耳大棚"' in html


def test_a_shared_story_link_shows_its_title_intro_and_first_image(client):
    image = _image()
    story = story_page(
        ProducerFactory(),
        intro="秦岭深处的木耳合作社",
        body=[("image", {"image": image, "caption": "", "alt": "木耳大棚"})],
    )

    html = client.get(story.url).content.decode()

    assert f'<meta property="og:title" content="{story.title}"' in html
    assert '<meta property="og:description" content="秦岭深处的木耳合作社"' in html
    assert '<meta name="description" content="秦岭深处的木耳合作社"' in html
    og_image = html.split('<meta property="og:image" content="')[1].split('"')[0]
    assert og_image.startswith("http") and ".fill-1200x630.format-jpeg" in og_image


def _story_with_images(producer, images):
    return [
        ("image", {"image": images[0], "caption": "", "alt": "图一"}),
        ("gallery", {"images": [{"image": i, "alt": "图", "caption": ""} for i in images]}),
    ]


def test_story_page_queries_do_not_grow_with_its_images(client, django_assert_max_num_queries):
    """Renditions are read with the images (cms.blocks.StoryImageChooserBlock),
    not one query per image; the rendition cache is emptied before each count
    because it is per process (locmem) and empty after every deploy."""
    from django.core.cache import caches

    producer = ProducerFactory()
    images = [_image() for _ in range(2)]
    story = story_page(producer, body=_story_with_images(producer, images))
    client.get(story.url)  # the renditions are made once
    caches["default"].clear()
    with django_assert_max_num_queries(60) as small:
        client.get(story.url)
    small_count = len(small)

    images += [_image() for _ in range(8)]
    story.body = _story_with_images(producer, images)
    story.save_revision().publish()
    client.get(story.url)
    caches["default"].clear()
    with django_assert_max_num_queries(small_count):
        assert client.get(story.url).status_code == 200
