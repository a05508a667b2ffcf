"""Wagtail pages built through the cms services, as approval builds them."""

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
