"""Wagtail pages built through the cms services, as approval builds them."""

from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.models import Locale

from cms.models import CountyPage, ProducerStoryPage
from cms.services import producer_pages_ensure


def story_page(producer, *, body=(), intro="", publish=True) -> ProducerStoryPage:
    """The producer's story page with ``body`` (StreamField data: (type, value)
    pairs), published unless ``publish`` is False."""
    story, _county_page = producer_pages_ensure(producer=producer)
    story.intro = intro
    story.body = list(body)
    revision = story.save_revision()
    if publish:
        revision.publish()
    return ProducerStoryPage.objects.get(pk=story.pk)


def county_page(producer) -> CountyPage:
    return producer_pages_ensure(producer=producer)[1]


def translation(page, *, language="en", publish=True, **fields):
    """``page`` translated as an editor does with 翻译 (simple translation's own
    action, which copies the missing parents as aliases), given ``fields``
    (``title``, ``intro``, ``body``…) and published unless ``publish`` is False."""
    CopyPageForTranslationAction(
        page=page, locale=Locale.objects.get(language_code=language), include_subtree=False
    ).execute(skip_permission_checks=True)
    translated = page.get_translation(Locale.objects.get(language_code=language)).specific
    for name, value in fields.items():
        setattr(translated, name, list(value) if name == "body" else value)
    revision = translated.save_revision()
    if publish:
        revision.publish()
    return type(translated).objects.get(pk=translated.pk)
