"""Stories woven into the shop: product page, producer page, home page."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from cms.selectors import ImpactCounters, impact_counters
from tests.factories import BenefitLinkageFactory, ProducerFactory, place_order, product_with_stock
from tests.factories.cms import county_page, story_page
from tests.factories.producers import county

pytestmark = pytest.mark.django_db


def test_product_page_links_the_producers_published_story(client):
    producer = ProducerFactory()
    product = product_with_stock(producer=producer, title="柞水黑木耳 500g")
    story = story_page(producer, intro="秦岭深处的木耳合作社")

    page = client.get(product.get_absolute_url()).content.decode()

    assert f'href="{story.url}"' in page
    assert "秦岭深处的木耳合作社" in page


def test_a_draft_story_is_never_linked_from_product_or_producer_page(client):
    producer = ProducerFactory()
    product = product_with_stock(producer=producer, title="柞水黑木耳 500g")
    story = story_page(producer, intro="还在写的草稿", publish=False)

    for url in (
        product.get_absolute_url(),
        reverse("producers:producer-detail", args=[producer.pk]),
    ):
        page = client.get(url).content.decode()
        assert "还在写的草稿" not in page
        assert "mkt-story-link" not in page
        assert f"/{story.slug}/" not in page


def test_producer_page_links_its_published_story(client):
    producer = ProducerFactory()
    story = story_page(producer)

    page = client.get(reverse("producers:producer-detail", args=[producer.pk])).content.decode()

    assert f'href="{story.url}"' in page


def _paid(order):
    order.status = settings.ORDER_STATUS_PAID
    order.save()
    return order


def test_home_page_shows_latest_stories_county_pavilions_and_live_counters(client):
    zhashui = ProducerFactory()
    zhashui.county.is_key_assistance_county = True
    zhashui.county.save()
    ziyang = ProducerFactory(county=county("610924"))
    story_page(zhashui, intro="金米村的木耳")
    story_page(ziyang, intro="紫阳的茶还在写", publish=False)
    BenefitLinkageFactory(producer=zhashui, year=2024, total_households=20, verified=True)
    BenefitLinkageFactory(producer=zhashui, year=2025, total_households=35, verified=True)
    # Unverified figures are the producer's word and are not counted.
    BenefitLinkageFactory(producer=ziyang, year=2025, total_households=40)
    _paid(place_order(product_with_stock(producer=zhashui, price=Decimal("10.00")), number="1"))
    # A sale from a county that is not a key-assistance one is not counted there.
    _paid(place_order(product_with_stock(producer=ziyang, price=Decimal("99.00")), number="2"))

    counters = impact_counters()
    assert counters == ImpactCounters(
        households=35, counties=2, producers=2, key_county_sales=Decimal("20.00")
    )

    page = client.get("/").content.decode()
    assert "金米村的木耳" in page
    assert "紫阳的茶还在写" not in page
    assert county_page(zhashui).title in page
    assert 'class="h4 d-block mkt-impact-households">35<' in page


def test_home_page_queries_do_not_grow_with_stories_and_counties(
    client, django_assert_max_num_queries
):
    first = ProducerFactory()
    story_page(first)
    BenefitLinkageFactory(producer=first, verified=True)
    client.get("/")
    with django_assert_max_num_queries(60) as small:
        client.get("/")
    small_count = len(small)

    for code in ("610924", "610925", "610926"):
        for _ in range(2):
            producer = ProducerFactory(county=county(code))
            story_page(producer)
            BenefitLinkageFactory(producer=producer, verified=True)
    client.get("/")
    with django_assert_max_num_queries(small_count):
        assert client.get("/").status_code == 200


def test_a_shared_county_page_link_shows_its_introduction(client):
    producer = ProducerFactory()
    page = county_page(producer)
    page.introduction = "<p>柞水县地处秦岭南麓。</p>"
    page.save_revision().publish()

    html = client.get(page.url).content.decode()

    assert '<meta property="og:description" content="柞水县地处秦岭南麓。"' in html
    assert f'<meta property="og:title" content="{page.title}"' in html
