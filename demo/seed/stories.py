"""The demo's Wagtail content (demo/data/stories.toml): a story for each sample
producer, written by its login with a drawn picture, a member's words, key
facts, the producer's own products (picked live) and its benefit linkage; one
story submitted and waiting for its county reviewer, all others published; one
translated into English by the editor; three county pavilions with editors'
text; two news pages. What someone already wrote, submitted or published is
left as it is."""

import io

from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.utils.html import escape
from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.images import get_image_model
from wagtail.models import Locale

from catalogue.selectors import products_for_listing
from cms.models import CountyPage, NewsIndexPage, NewsPage, ProducerStoryPage
from cms.selectors import source_pages
from cms.services import (
    EDITOR_GROUP,
    index_pages_ensure,
    producer_image_collection_ensure,
    producer_pages_ensure,
)
from demo.data import load
from demo.seed.accounts import account, login
from demo.seed.pictures import story_picture
from demo.seed.tally import Tally

PICKS = 4
# The renditions the story page and its shared card use, made now so the first
# visitor does not wait for them (templates/cms/blocks/image.html, story_tags).
RENDITIONS = ("width-800|format-webp", "width-800|format-jpeg", "fill-1200x630|format-jpeg")


def _picture(key: str, spec: dict, producer):
    """The story's Wagtail image (title ``demo-story-<key>``), drawn once, in
    the producer's own collection as if its people had uploaded it."""
    Image = get_image_model()
    title = f"demo-story-{key}"
    image = Image.objects.filter(title=title).first()
    if image is None:
        drawn = ImageFile(io.BytesIO(story_picture(key, *spec["colours"])), name=f"{title}.jpg")
        image = Image(
            title=title,
            file=drawn,
            collection=producer_image_collection_ensure(producer=producer),
        )
        image.save()
    image.get_renditions(*RENDITIONS)
    return image


def _body(producer, spec: dict, image, *, english: bool = False) -> list:
    picks = list(products_for_listing().filter(producer=producer).order_by("pk")[:PICKS])
    en = "_en" if english else ""
    text = spec["paragraph_en"] if english else producer.introduction
    return [
        (
            "paragraph",
            {"heading": "Who we are" if english else "我们是谁", "text": f"<p>{escape(text)}</p>"},
        ),
        ("image", {"image": image, "alt": spec[f"alt{en}"], "caption": spec[f"caption{en}"]}),
        (
            "quote",
            {
                "text": spec[f"quote{en}"],
                "name": spec["quote_name"],
                "role": spec[f"quote_role{en}"],
            },
        ),
        (
            "key_facts",
            {
                "founded": spec["founded"],
                "members": spec["members"],
                "area": spec[f"area{en}"],
                "main_products": "、".join(p.title.split(" ")[0] for p in picks[:2]),
            },
        ),
        ("product_picks", {"heading": "", "products": picks}),
        ("benefit_linkage", {"heading": ""}),
    ]


def _intro(producer) -> str:
    return producer.introduction.split("。")[0] + "。" if producer.introduction else ""


def _write(story, producer, spec, writer) -> None:
    story.intro = _intro(producer)
    story.body = _body(producer, spec, _picture(spec["key"], spec, producer))
    story.save_revision(user=writer)


def _translate(story, producer, spec, editor) -> bool:
    english = Locale.objects.get(language_code="en")
    if story.get_translations().filter(locale=english).exists():
        return False
    CopyPageForTranslationAction(
        page=story, locale=english, include_subtree=False, user=editor
    ).execute(skip_permission_checks=True)
    translated = story.get_translation(english).specific
    translated.title = spec["title_en"]
    translated.intro = spec["intro_en"]
    translated.body = _body(producer, spec, _picture(spec["key"], spec, producer), english=True)
    translated.save_revision(user=editor).publish(user=editor)
    return True


def seed_story_editor():
    """The platform editor's login, in Wagtail's Moderators group: it publishes
    stories after county review and translates them."""
    editor, _created = account(login("story_editor")["email"])
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
    return editor


def seed_stories(*, producers, operators) -> dict[str, Tally]:
    data = load("stories")
    editor = seed_story_editor()
    created = 0
    for key, producer in producers.items():
        spec = {"key": key, **data["stories"][key]}
        # A database seeded before stories existed has producers without pages.
        story, _county_page = producer_pages_ensure(producer=producer)
        if story.live or len(story.body) or story.workflow_in_progress:
            continue
        writer = operators[key]
        _write(story, producer, spec, writer)
        story = ProducerStoryPage.objects.get(pk=story.pk)
        if key == data["awaiting_review"]:
            # Submitted by its producer: waits for the county's reviewer.
            story.get_workflow().start(story, writer)
        else:
            # Reviewed and published by the platform's editor.
            story.get_latest_revision().publish(user=editor)
        created += 1
    translated = data["translated"]
    english = 0
    if translated in producers:
        story = ProducerStoryPage.objects.get(
            producer=producers[translated], locale=Locale.get_default()
        )
        if story.live:
            english = _translate(
                story,
                producers[translated],
                {"key": translated, **data["stories"][translated]},
                editor,
            )
    stories = source_pages(ProducerStoryPage.objects.filter(producer__in=producers.values()))
    return {
        "stories": Tally(created, stories.count()),
        "stories_awaiting_review": Tally(0, stories.filter(live=False).count()),
        "stories_in_english": Tally(
            int(english),
            ProducerStoryPage.objects.filter(locale__language_code="en", live=True).count(),
        ),
        "county_pages": _seed_county_texts(data["counties"]),
        "news": _seed_news(data["news"]),
    }


def _seed_county_texts(texts: dict[str, str]) -> Tally:
    created = 0
    pages = source_pages(CountyPage.objects.filter(region__code__in=texts))
    for page in pages:
        if page.introduction:
            continue
        page.introduction = f"<p>{escape(texts[page.region.code])}</p>"
        page.save_revision().publish()
        created += 1
    return Tally(created, pages.exclude(introduction="").count())


def _seed_news(entries: list[dict]) -> Tally:
    indexes = index_pages_ensure()
    index = source_pages(NewsIndexPage.objects.all()).get(pk=indexes.news.pk)
    created = 0
    for entry in entries:
        if NewsPage.objects.filter(slug=entry["slug"]).exists():
            continue
        page = NewsPage(
            title=entry["title"],
            slug=entry["slug"],
            date=entry["date"],
            intro=entry["intro"],
            body=[
                (
                    "paragraph",
                    {"heading": entry["heading"], "text": f"<p>{escape(entry['paragraph'])}</p>"},
                )
            ],
        )
        index.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    return Tally(created, source_pages(NewsPage.objects.live()).count())
