"""Keeping the index true: changes reach search once their transaction
commits, on both backends; a rebuild swaps Elasticsearch's alias."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_model
from oscar.test.factories import create_order

from producers.models import Certificate
from search.backends import get_backend
from search.backends.base import SORT_BEST_SELLING, SearchQuery
from search.models import ProductSearchEntry
from tests.factories import CategoryFactory, ProducerFactory, county, product_with_stock

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")


def search(text="", **kwargs):
    return get_backend().search(SearchQuery(text=text, per_page=100, **kwargs))


def found(text="", **kwargs) -> set[int]:
    return {h.product_id for h in search(text, **kwargs).hits}


def facet(results, name) -> dict[str, int]:
    return {o.value: o.count for o in results.facets[name]}


@pytest.fixture
def catalogue(search_backend_name, search_index):
    fungi = CategoryFactory(name="菌菇干货")
    zhashui = ProducerFactory(name="柞水县秦岭山珍专业合作社")
    ziyang = ProducerFactory(name="紫阳县汉江富硒茶叶专业合作社", county=county("610924"))
    muer = product_with_stock(
        title="柞水黑木耳 250g 袋装",
        description="<p>产自秦岭南麓，自然晾晒。</p>",
        producer=zhashui,
        categories=[fungi],
        stock=5,
    )
    tea = product_with_stock(
        title="紫阳毛尖 一级 250g",
        description="<p>紫阳县传统名茶。</p>",
        producer=ziyang,
        categories=[CategoryFactory(name="茶叶")],
        price=Decimal("98.00"),
    )
    search_index()
    return {"muer": muer, "tea": tea, "zhashui": zhashui, "ziyang": ziyang}


def test_a_new_title_is_searchable_once_the_transaction_commits(
    catalogue, django_capture_on_commit_callbacks
):
    muer = catalogue["muer"]
    with django_capture_on_commit_callbacks(execute=True):
        muer.title = "柞水香菇 干货 500g"
        muer.save()
        assert muer.pk in found("木耳"), "not before the commit"

    assert muer.pk in found("香菇")
    assert muer.pk in found("xianggu")
    assert muer.pk not in found("木耳")


def test_stock_running_out_moves_the_product_to_out_of_stock(
    catalogue, django_capture_on_commit_callbacks
):
    muer = catalogue["muer"]
    with django_capture_on_commit_callbacks(execute=True):
        record = muer.stockrecords.get()
        record.num_in_stock = 0
        record.save()

    assert found(filters={"availability": ("out_of_stock",)}) == {muer.pk}
    assert facet(search(), "availability") == {"in_stock": 1, "out_of_stock": 1}


def test_renaming_the_producer_reindexes_its_products(
    catalogue, django_capture_on_commit_callbacks
):
    partner = catalogue["zhashui"].partner
    with django_capture_on_commit_callbacks(execute=True):
        partner.name = "柞水县金米村山珍产业合作社"
        partner.save()

    assert found("金米村") == {catalogue["muer"].pk}


def test_moving_a_product_to_another_producer_changes_its_producer_and_place(
    catalogue, django_capture_on_commit_callbacks
):
    muer, ziyang = catalogue["muer"], catalogue["ziyang"]
    with django_capture_on_commit_callbacks(execute=True):
        muer.producer = ziyang
        muer.origin_county = ziyang.county
        muer.save()

    results = search(filters={"producer": (str(ziyang.pk),)})
    assert {h.product_id for h in results.hits} == {muer.pk, catalogue["tea"].pk}
    assert facet(results, "county") == {"610924": 2}


def test_a_certificate_counts_while_valid_and_stops_when_it_lapses(
    catalogue, django_capture_on_commit_callbacks
):
    tea = catalogue["tea"]
    with django_capture_on_commit_callbacks(execute=True):
        certificate = Certificate.objects.create(
            producer=catalogue["ziyang"],
            kind=Certificate.Kind.GREEN_FOOD,
            number="LB-15-2305061234",
            issuer="中国绿色食品发展中心",
            valid_from=date.today() - timedelta(days=365),
            valid_until=date.today() + timedelta(days=365),
        )
        certificate.products.add(tea)

    assert found(filters={"certificate": ("green",)}) == {tea.pk}

    with django_capture_on_commit_callbacks(execute=True):
        certificate.valid_until = date.today() - timedelta(days=1)
        certificate.save()

    assert found(filters={"certificate": ("green",)}) == set()
    assert facet(search(), "certificate") == {}


def test_a_product_taken_off_sale_disappears_from_search(
    catalogue, django_capture_on_commit_callbacks
):
    tea = catalogue["tea"]
    with django_capture_on_commit_callbacks(execute=True):
        tea.is_public = False
        tea.save()

    assert tea.pk not in found("紫阳")
    assert found() == {catalogue["muer"].pk}
    assert not ProductSearchEntry.objects.filter(pk=tea.pk).exists()


def test_a_deleted_product_disappears_from_search(catalogue, django_capture_on_commit_callbacks):
    tea_pk = catalogue["tea"].pk
    with django_capture_on_commit_callbacks(execute=True):
        catalogue["tea"].delete()

    assert found() == {catalogue["muer"].pk}
    assert tea_pk not in found("maojian")


def test_changes_that_are_never_committed_leave_the_index_alone(
    catalogue, django_capture_on_commit_callbacks
):
    muer = catalogue["muer"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        muer.title = "柞水香菇 干货 500g"
        muer.save()

    assert callbacks, "re-indexing waits for the commit"
    assert muer.pk in found("木耳")
    assert muer.pk not in found("香菇")


def _place_order(product, quantity):
    basket = Basket.objects.create()
    basket.strategy = Default()
    basket.add_product(product, quantity=quantity)
    return create_order(basket=basket)


def test_best_selling_follows_the_units_ordered(
    search_backend_name, search_index, django_capture_on_commit_callbacks
):
    producer = ProducerFactory()
    products = [
        product_with_stock(title=f"柞水黑木耳 {grams}g", producer=producer, stock=50)
        for grams in (100, 250, 500)
    ]
    search_index()
    with django_capture_on_commit_callbacks(execute=True):
        _place_order(products[2], 1)
        _place_order(products[0], 3)
        _place_order(products[0], 2)
        _place_order(products[1], 4)

    ids = [h.product_id for h in search(sort=SORT_BEST_SELLING).hits]
    assert ids == [products[0].pk, products[1].pk, products[2].pk]  # 5, 4, 1 units


def test_rebuild_swaps_the_alias_to_a_new_index_and_deletes_the_old(es_backend, search_index):
    from search.backends.elasticsearch import alias_name

    products = [product_with_stock(title=f"紫阳富硒绿茶 {n}00g") for n in range(1, 4)]
    first = search_index()["index"]
    assert set(es_backend.indices.get_alias(name=alias_name())) == {first}

    during = []

    def search_meanwhile(done, total):
        during.append((done, found("绿茶")))

    second = search_index(batch_size=1, progress=search_meanwhile)["index"]

    ids = {p.pk for p in products}
    assert second != first
    assert set(es_backend.indices.get_alias(name=alias_name())) == {second}
    assert not es_backend.indices.exists(index=first)
    # The old index answered in full while the new one was filling.
    assert during == [(1, ids), (2, ids), (3, ids)]
    assert found("绿茶") == ids


def test_rebuild_drops_products_that_are_no_longer_searchable(search_backend_name, search_index):
    kept, hidden = (product_with_stock(title=t) for t in ("紫阳毛尖 一级", "紫阳毛尖 二级"))
    search_index()
    # A queryset update sends no signal: only a rebuild can notice.
    type(hidden).objects.filter(pk=hidden.pk).update(is_public=False)

    assert found("毛尖") == {kept.pk, hidden.pk}
    search_index()
    assert found("毛尖") == {kept.pk}


def test_highlight_escapes_html_in_titles(search_backend_name, search_index):
    product = product_with_stock(title="紫阳<新茶>上市 & 礼盒")
    search_index()

    (hit,) = search("礼盒").hits
    assert hit.product_id == product.pk
    assert "&lt;新茶&gt;" in hit.highlight and "&amp;" in hit.highlight
    assert "<新茶>" not in hit.highlight


def test_listing_review_decides_what_is_searchable(catalogue, django_capture_on_commit_callbacks):
    from catalogue.services import ListingContent, product_listing_update, product_review_approve
    from tests.factories import StaffUserFactory, UserFactory

    muer = catalogue["muer"]
    owner = UserFactory()
    muer.producer.partner.users.add(owner)
    content = ListingContent(
        title="柞水香菇 干货 500g",
        description="椴木香菇",
        category=muer.categories.first(),
        origin_county=muer.origin_county,
    )
    # Changing what the listing claims sends it back to review: out of search.
    with django_capture_on_commit_callbacks(execute=True):
        product_listing_update(product=muer, actor=owner, content=content)
    assert muer.pk not in found("香菇")
    assert muer.pk not in found("木耳")

    with django_capture_on_commit_callbacks(execute=True):
        product_review_approve(product=muer, actor=StaffUserFactory())
    assert muer.pk in found("香菇")
