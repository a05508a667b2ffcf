"""English where editors translate (issue 12, item 6): a story, county or news
page shows its live English translation to a visitor whose language is
English, at the Chinese page's own address, and the Chinese page otherwise;
each language has its canonical address and the others as alternates."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse
from wagtail.models import Locale

from cms.exceptions import PageExistsInLanguage
from cms.models import NewsIndexPage, NewsPage, ProducerStoryPage
from common.sites import site_url
from tests.factories import ProducerFactory, UserFactory, producer_with_user, product_with_stock
from tests.factories.cms import county_page, story_page, translation

pytestmark = pytest.mark.django_db

ZH_INTRO = "秦岭深处的木耳合作社"
EN_INTRO = "A fungus cooperative deep in the Qinling mountains"


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _picks(*products):
    return ("product_picks", {"heading": "", "products": list(products)})


@pytest.fixture
def translated():
    producer = ProducerFactory()
    story = story_page(producer, intro=ZH_INTRO)
    english = translation(story, title="Jinmi Fungus Cooperative", intro=EN_INTRO)
    return story, english


def test_migrations_keep_the_tree_chinese_and_add_english_for_editors_to_translate():
    assert Locale.get_default().language_code == "zh-hans"
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"zh-hans", "en"}
    translate = Permission.objects.get(codename="submit_translation")
    for name in ("Editors", "Moderators"):
        assert translate in Group.objects.get(name=name).permissions.all()


def test_an_english_visitor_reads_the_live_translation_at_the_storys_own_address(
    client, translated
):
    story, english = translated
    assert english.url == f"{story.url}?lang=en"

    page = _english(client).get(story.url).content.decode()
    assert EN_INTRO in page and ZH_INTRO not in page
    assert "Jinmi Fungus Cooperative" in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(story.url).content.decode()
    assert ZH_INTRO in page and EN_INTRO not in page


def test_a_shared_link_with_lang_shows_its_language_whatever_the_visitors_choice(
    client, translated
):
    story, _english_page = translated
    assert EN_INTRO in client.get(f"{story.url}?lang=en").content.decode()
    assert ZH_INTRO in _english(client).get(f"{story.url}?lang=zh-hans").content.decode()


def test_without_a_live_translation_the_english_visitor_reads_the_chinese_page(client):
    untranslated = story_page(ProducerFactory(), intro="还没有英文版的故事")
    drafted = story_page(ProducerFactory(), intro=ZH_INTRO)
    translation(drafted, intro="An unpublished translation", publish=False)
    _english(client)

    page = client.get(untranslated.url).content.decode()
    assert "还没有英文版的故事" in page and 'hreflang="en"' not in page
    page = client.get(drafted.url).content.decode()
    assert ZH_INTRO in page and "An unpublished translation" not in page
    assert client.get(f"{drafted.url}?lang=en").status_code == 200


def test_each_language_version_is_canonical_and_lists_the_other_as_alternate(client, translated):
    story, _english_page = translated
    chinese_url, english_url = site_url(story.url), site_url(f"{story.url}?lang=en")
    alternates = (
        f'<link rel="alternate" hreflang="en" href="{english_url}" />',
        f'<link rel="alternate" hreflang="zh-hans" href="{chinese_url}" />',
        f'<link rel="alternate" hreflang="x-default" href="{chinese_url}" />',
    )

    chinese = client.get(story.url).content.decode()
    assert f'<link rel="canonical" href="{chinese_url}" />' in chinese
    assert f'<meta property="og:url" content="{chinese_url}" />' in chinese
    assert all(link in chinese for link in alternates)

    english = _english(client).get(story.url).content.decode()
    assert f'<link rel="canonical" href="{english_url}" />' in english
    assert f'<meta property="og:url" content="{english_url}" />' in english
    assert all(link in english for link in alternates)


def test_the_sitemap_lists_both_languages_with_alternates_and_no_english_tree(client, translated):
    story, _english_page = translated
    xml = client.get(reverse("sitemap-section", args=["pages"])).content.decode()
    english_url = site_url(f"{story.url}?lang=en").replace("&", "&amp;")
    assert f"<loc>{site_url(story.url)}</loc>" in xml
    assert f"<loc>{english_url}</loc>" in xml
    assert f'hreflang="en" href="{english_url}"' in xml
    assert "-en/" not in xml  # the English aliases of the section pages are not addresses


def test_shop_links_lead_to_the_story_in_the_visitors_language(client, translated):
    story, _english_page = translated
    product = product_with_stock(producer=story.producer, title="柞水黑木耳 500g")
    _english(client)
    for url in (product.get_absolute_url(), "/", story.get_parent().url):
        page = client.get(url).content.decode()
        assert f'href="{story.url}"' in page, url
        assert "Jinmi Fungus Cooperative" in page, url
    county = county_page(story.producer)
    page = client.get(county.url).content.decode()
    assert "Jinmi Fungus Cooperative" in page and f'href="{story.url}"' in page


def test_county_and_news_pages_serve_their_translation_too(client):
    producer = ProducerFactory()
    county = county_page(producer)
    translation(county, title="Zhashui County", introduction="<p>Known for fungus.</p>")
    news_index = NewsIndexPage.objects.get(locale__language_code="zh-hans")
    news = NewsPage(title="消费帮扶月启动", slug="month", date=datetime.date(2026, 9, 1))
    news_index.add_child(instance=news)
    news.save_revision().publish()
    translation(news, title="Consumption assistance month opens")
    _english(client)

    assert "Known for fungus." in client.get(county.url).content.decode()
    assert "Consumption assistance month opens" in client.get(news.url).content.decode()
    assert "Consumption assistance month opens" in client.get(news_index.url).content.decode()


def test_the_producers_user_edits_its_storys_translation_and_no_other(client):
    producer, writer = producer_with_user()
    other, other_writer = producer_with_user()
    english = translation(story_page(producer), intro=EN_INTRO, publish=False)
    other_english = translation(story_page(other), intro="Other draft", publish=False)

    client.force_login(writer)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[english.pk])).status_code == 200
    response = client.get(reverse("wagtailadmin_pages:edit", args=[other_english.pk]))
    assert response.status_code in (302, 403)
    assert "Other draft" not in response.content.decode()
    # Translating is the editors' (simple translation's permission), not the producer's.
    story = ProducerStoryPage.objects.get(producer=other, locale__language_code="zh-hans")
    url = reverse("simple_translation:submit_page_translation", args=[story.pk])
    client.force_login(other_writer)
    assert client.get(url).status_code in (302, 403)


def test_an_editor_translates_a_story_in_the_admin_and_its_producer_may_edit_it(client):
    producer, writer = producer_with_user()
    story = story_page(producer, intro=ZH_INTRO)
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(editor)

    url = reverse("simple_translation:submit_page_translation", args=[story.pk])
    response = client.post(url, {"locales": [Locale.objects.get(language_code="en").pk]})
    assert response.status_code == 302
    english = ProducerStoryPage.objects.get(producer=producer, locale__language_code="en")
    assert not english.live

    client.force_login(writer)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[english.pk])).status_code == 200


def test_english_story_page_queries_do_not_grow_with_its_products(
    client, django_assert_max_num_queries
):
    producer = ProducerFactory()
    products = [product_with_stock(producer=producer) for _ in range(2)]
    story = story_page(producer, body=[_picks(*products)])
    english = translation(story, intro=EN_INTRO, body=[_picks(*products)])
    _english(client).get(story.url)
    with django_assert_max_num_queries(70) as small:
        client.get(story.url)
    small_count = len(small)

    products += [product_with_stock(producer=producer) for _ in range(8)]
    english.body = [_picks(*products)]
    english.save_revision().publish()
    client.get(story.url)
    with django_assert_max_num_queries(small_count):
        assert EN_INTRO in client.get(story.url).content.decode()


def test_a_producer_has_one_story_per_language_the_others_are_translations():
    story = story_page(ProducerFactory())
    duplicate = ProducerStoryPage(title="又一个故事", slug="again", producer=story.producer)
    with pytest.raises(ValidationError) as error:
        story.get_parent().add_child(instance=duplicate)
    assert [e.code for e in error.value.error_dict[NON_FIELD_ERRORS]] == [PageExistsInLanguage.code]
