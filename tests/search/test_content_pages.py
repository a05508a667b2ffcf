"""Site search finds published producer stories and county pavilions beside
the products, on both backends; a draft is never found."""

import pytest
from django.urls import reverse

from search.pages import page_search
from tests.factories import ProducerFactory, product_with_stock
from tests.factories.cms import county_page, story_page

pytestmark = pytest.mark.django_db


def _paragraph(heading, text):
    return ("paragraph", {"heading": heading, "text": f"<p>{text}</p>"})


def test_search_finds_a_story_by_a_word_of_its_body_on_both_backends(
    client, search_backend_name, django_capture_on_commit_callbacks
):
    producer = ProducerFactory(name="金米村木耳专业合作社")
    product_with_stock(producer=producer, title="柞水黑木耳 250g")
    with django_capture_on_commit_callbacks(execute=True):
        story = story_page(
            producer, body=[_paragraph("我们的村", "村里的老人在段木上种出了香菇。")]
        )
        draft = story_page(
            ProducerFactory(name="另一家合作社"),
            body=[_paragraph("草稿", "这篇草稿也写了香菇。")],
            publish=False,
        )

    assert page_search(text="香菇") == [story]
    # Pinyin typed in Latin letters finds it too.
    assert story in page_search(text="xianggu")

    html = client.get(reverse("search:search"), {"q": "香菇"}).content.decode()
    assert f'href="{story.url}"' in html
    assert f"/{draft.slug}/" not in html


def test_search_finds_a_county_pavilion_by_its_introduction_on_both_backends(
    client, search_backend_name, django_capture_on_commit_callbacks
):
    producer = ProducerFactory()
    page = county_page(producer)
    page.introduction = "<p>柞水县地处秦岭南麓，盛产木耳。</p>"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    assert page_search(text="秦岭") == [page]


def test_an_unpublished_story_leaves_search(
    search_backend_name, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = story_page(ProducerFactory(), body=[_paragraph("", "段木香菇")])
    assert page_search(text="香菇") == [story]

    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish()

    assert page_search(text="香菇") == []


def test_product_search_is_unchanged_by_pages(client, django_capture_on_commit_callbacks):
    producer = ProducerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        product_with_stock(producer=producer, title="柞水黑木耳 250g")
        story_page(producer, body=[_paragraph("", "黑木耳的故事")])

    html = client.get(reverse("search:search"), {"q": "黑木耳"}).content.decode()

    assert "柞水黑木耳 250g" in html
    assert "共 <strong>1</strong> 件商品" in html


def test_rebuilding_the_index_brings_in_published_pages(search_backend_name):
    from search.indexing import search_rebuild_index

    story = story_page(
        ProducerFactory(), body=[_paragraph("", "段木香菇")]
    )  # no commit: not indexed
    assert page_search(text="香菇") == []

    assert search_rebuild_index()["pages"] >= 1

    assert page_search(text="香菇") == [story]


def test_a_story_and_its_english_translation_are_one_result_in_the_visitors_language(
    search_backend_name, django_capture_on_commit_callbacks
):
    """Both language versions are indexed (an English query finds the English
    one), but a query both match lists the story once: the version in the
    visitor's language, else the Chinese one."""
    from django.utils import translation as i18n

    from tests.factories.cms import translation

    with django_capture_on_commit_callbacks(execute=True):
        story = story_page(ProducerFactory(), body=[_paragraph("段木香菇", "段木香菇 shiitake")])
        english = translation(
            story,
            title="Log-grown shiitake",
            body=[_paragraph("Log-grown shiitake", "段木香菇 shiitake on oak logs")],
        )

    with i18n.override("zh-hans"):
        assert page_search(text="香菇") == [story]
    with i18n.override("en"):
        assert page_search(text="香菇") == [english]
        assert page_search(text="oak logs") == [english]
