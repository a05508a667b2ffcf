from decimal import Decimal

import pytest

from cms.exceptions import StoryPicksOtherProducer
from cms.rules import story_product_picks_check
from cms.selectors import county_showcase
from procurement.models import ContractStatus
from tests.factories import BenefitLinkageFactory, ProducerFactory, place_order, product_with_stock
from tests.factories.cms import county_page, story_page
from tests.factories.procurement import Team, contract_in_state

pytestmark = pytest.mark.django_db


def _picks(*products):
    return ("product_picks", {"heading": "本社好物", "products": list(products)})


def test_product_picks_show_the_price_of_now_without_republishing(client):
    producer = ProducerFactory()
    product = product_with_stock(producer=producer, title="柞水黑木耳 500g", price=Decimal("39.90"))
    story = story_page(producer, body=[_picks(product)])
    assert "39.90" in client.get(story.url).content.decode()

    stockrecord = product.stockrecords.get()
    stockrecord.price = Decimal("45.50")
    stockrecord.save()

    page = client.get(story.url).content.decode()
    assert "45.50" in page and "39.90" not in page


def test_hidden_and_other_producers_listings_are_never_rendered(client):
    producer = ProducerFactory()
    shown = product_with_stock(producer=producer, title="在售的木耳")
    withdrawn = product_with_stock(producer=producer, title="已下架的木耳")
    pending = product_with_stock(producer=producer, title="待审核的木耳", review_status="pending")
    foreign = product_with_stock(title="别家的木耳")
    story = story_page(producer, body=[_picks(shown, withdrawn, pending)])
    # A pick of another producer's product can only come from data written around the admin.
    story.body = [_picks(shown, withdrawn, pending, foreign)]
    story.save(clean=False)
    withdrawn.is_public = False
    withdrawn.save()

    page = client.get(story.url).content.decode()

    assert "在售的木耳" in page
    for title in ("已下架的木耳", "待审核的木耳", "别家的木耳"):
        assert title not in page


def test_a_story_may_pick_only_its_own_producers_products():
    producer = ProducerFactory()
    story = story_page(producer, publish=False)
    story.body = [_picks(product_with_stock(title="别家的木耳"))]
    with pytest.raises(StoryPicksOtherProducer) as refused:
        story_product_picks_check(story=story)
    assert refused.value.code == "story_pick_not_own_product"


def test_linkage_block_shows_households_by_mechanism_and_the_mark(client):
    producer = ProducerFactory()
    BenefitLinkageFactory(producer=producer, year=2025, total_households=30)
    story = story_page(producer, body=[("benefit_linkage", {"heading": ""})])

    page = client.get(story.url).content.decode()

    assert "2025 年带动脱贫户 30 户" in page
    assert "未核实" in page
    assert "务工就业" in page


def test_an_unpublished_story_is_not_public(client):
    story = story_page(ProducerFactory(), publish=False)
    assert client.get(story.url or f"/stories/{story.slug}/").status_code == 404


def test_county_page_shows_status_producers_products_stories_and_figures(client):
    producer = ProducerFactory(name="柞水县金米村木耳专业合作社")
    producer.county.is_key_assistance_county = True
    producer.county.save()
    product_with_stock(producer=producer, title="柞水黑木耳 250g")
    product_with_stock(producer=producer, title="下架木耳", is_public=False)
    story_page(producer, body=[], intro="我们的故事")
    page = county_page(producer)

    html = client.get(page.url).content.decode()

    assert "国家乡村振兴重点帮扶县" in html
    assert "柞水县金米村木耳专业合作社" in html
    assert "柞水黑木耳 250g" in html and "下架木耳" not in html
    assert "我们的故事" in html
    assert "单位累计采购" in html


def _grow(producer, n):
    products = [product_with_stock(producer=producer) for _ in range(n)]
    BenefitLinkageFactory(producer=producer)
    return products


def test_story_page_queries_do_not_grow_with_its_products(client, django_assert_max_num_queries):
    producer = ProducerFactory()
    products = _grow(producer, 2)
    body = [_picks(*products), ("benefit_linkage", {"heading": ""})]
    story = story_page(producer, body=body)
    client.get(story.url)
    with django_assert_max_num_queries(60) as small:
        client.get(story.url)
    # Counted now: the next request clears the connection's query log.
    small_count = len(small)

    products += [product_with_stock(producer=producer) for _ in range(8)]
    story.body = [_picks(*products), ("benefit_linkage", {"heading": ""})]
    story.save_revision().publish()
    client.get(story.url)
    with django_assert_max_num_queries(small_count):
        assert client.get(story.url).status_code == 200


def test_county_page_queries_do_not_grow_with_its_products(client, django_assert_max_num_queries):
    producer = ProducerFactory()
    _grow(producer, 2)
    story_page(producer)
    page = county_page(producer)
    client.get(page.url)
    with django_assert_max_num_queries(60) as small:
        client.get(page.url)
    small_count = len(small)

    for _ in range(3):
        other = ProducerFactory(county=producer.county)
        _grow(other, 5)
        story_page(other)
    client.get(page.url)
    with django_assert_max_num_queries(small_count):
        assert client.get(page.url).status_code == 200


def test_county_figures_count_paid_consumer_orders_and_accepted_agency_contracts(settings):
    producer = ProducerFactory()
    product = product_with_stock(producer=producer, price=Decimal("10.00"), stock=500)
    paid = place_order(product, number="200001")  # two of each product
    paid.set_status(settings.ORDER_STATUS_PAID)
    place_order(product, number="200002")  # unpaid: not a sale
    team = Team()
    contract_in_state(team, product, 3, ContractStatus.ACCEPTED)
    contract_in_state(team, product, 4, ContractStatus.SHIPPED)  # not accepted yet

    showcase = county_showcase(region_id=producer.county_id)

    assert showcase.consumer_sales == Decimal("20.00")
    assert showcase.agency_sales == Decimal("30.00")
