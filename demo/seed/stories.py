"""A published story for each sample producer: the draft that its approval
created (or, for producers seeded before that, a new one), given an introduction, key facts, the producer's own products (picked
live) and its benefit linkage. A story someone already published or wrote is
left as it is."""

from django.utils.html import escape

from catalogue.selectors import products_for_listing
from cms.models import ProducerStoryPage
from cms.services import producer_pages_ensure
from demo.seed.tally import Tally

PICKS = 4


def seed_stories(*, producers) -> Tally:
    created = 0
    for producer in producers.values():
        # A database seeded before stories existed has producers without pages.
        story, _county_page = producer_pages_ensure(producer=producer)
        if story.live or len(story.body):
            continue
        picks = list(products_for_listing().filter(producer=producer).order_by("pk")[:PICKS])
        story.intro = producer.introduction.split("。")[0] + "。" if producer.introduction else ""
        story.body = [
            (
                "paragraph",
                {"heading": "我们是谁", "text": f"<p>{escape(producer.introduction)}</p>"},
            ),
            ("key_facts", {"main_products": "、".join(p.title.split(" ")[0] for p in picks[:2])}),
            ("product_picks", {"heading": "", "products": picks}),
            ("benefit_linkage", {"heading": ""}),
        ]
        story.save_revision().publish()
        created += 1
    return Tally(created, ProducerStoryPage.objects.filter(producer__in=producers.values()).count())
