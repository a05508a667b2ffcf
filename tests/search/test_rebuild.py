"""The rebuild at the speed of the engine: documents read in a fixed number of
queries per batch, text analysed in worker processes with the same result as
in one process, the new index filled without refreshes or replicas and given
its settings back, nothing half-built left behind; a rebuild that died stops
holding changes once it is stale, and the next one cleans up after it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import search.indexing
from producers.models import Certificate
from search.backends import get_backend
from search.backends.base import SearchQuery
from search.documents import build_documents
from search.exceptions import IndexRebuildAbandoned
from search.models import IndexOutbox, IndexRebuild, ProductSearchEntry
from search.outbox import outbox_apply, outbox_rebuild_started
from search.rules import rebuild_stale_before
from tests.factories import CategoryFactory, ProducerFactory, county, product_with_stock
from tests.factories.catalogue import multi_spec_product

pytestmark = pytest.mark.django_db


def found(text: str) -> set[int]:
    return {h.product_id for h in get_backend().search(SearchQuery(text=text, per_page=100)).hits}


def _catalogue(n: int) -> list:
    """n products of several producers, categories and counties, each with a
    valid certificate, and a multi-spec listing."""
    teas, fungi = CategoryFactory(name="茶叶"), CategoryFactory(name="菌菇干货")
    producers = [
        ProducerFactory(name="柞水县秦岭山珍专业合作社"),
        ProducerFactory(name="紫阳县汉江富硒茶叶专业合作社", county=county("610924")),
    ]
    products = []
    for i in range(n):
        producer = producers[i % 2]
        product = product_with_stock(
            title=f"{'柞水黑木耳' if i % 2 == 0 else '紫阳毛尖'} {i}号 250g",
            description=f"<p>产自秦岭南麓，第{i}批。</p>",
            producer=producer,
            categories=[fungi if i % 2 == 0 else teas],
            price=Decimal("30.00") + i,
        )
        certificate = Certificate.objects.create(
            producer=producer,
            kind=Certificate.Kind.GREEN_FOOD,
            number=f"LB-15-23050612{i:02d}",
            issuer="中国绿色食品发展中心",
            valid_from=date.today() - timedelta(days=30),
            valid_until=date.today() + timedelta(days=300),
        )
        certificate.products.add(product)
        products.append(product)
    products.append(multi_spec_product(title="柞水木耳 多规格", producer=producers[0]))
    return products


def test_documents_are_read_in_the_same_number_of_queries_for_2_or_12_products():
    products = _catalogue(11)
    ids = [p.pk for p in products]

    with CaptureQueriesContext(connection) as two:  # one product, one multi-spec listing
        assert len(build_documents([ids[0], ids[-1]])) == 2
    with CaptureQueriesContext(connection) as twelve:
        assert len(build_documents(ids)) == 12

    assert len(twelve) == len(two) <= 8


def _entries() -> list[dict]:
    return list(
        ProductSearchEntry.objects.order_by("pk").values(
            "pk", "title", "title_words", "title_pinyin", "search_vector", "price", "in_stock"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_worker_processes_index_what_one_process_indexes(
    search_backend_name, search_index, monkeypatch
):
    # Committed data: the workers read and write through connections of their own.
    products = _catalogue(7)
    search_index(workers=1)
    alone = _entries()
    ProductSearchEntry.objects.all().delete()

    # Worker processes are used from this many products on; 8 here.
    monkeypatch.setattr(search.indexing, "PARALLEL_MIN_PRODUCTS", 2)
    pools = []
    executor = search.indexing.ProcessPoolExecutor

    def spy(**kwargs):
        pools.append(kwargs["max_workers"])
        return executor(**kwargs)

    monkeypatch.setattr(search.indexing, "ProcessPoolExecutor", spy)
    result = search_index(batch_size=3, workers=2)

    # A pool per pass: the Elasticsearch index, then the database entries.
    assert pools == ([2, 2] if search_backend_name == "elasticsearch" else [2])
    assert result["documents"] == len(products)
    assert _entries() == alone
    assert found("木耳") == {p.pk for p in products if "木耳" in p.title}
    assert found("maojian") == {p.pk for p in products if "毛尖" in p.title}


def test_a_rebuild_inside_a_transaction_indexes_in_its_own_process(search_index, monkeypatch):
    # Another connection would not see the transaction's rows.
    products = _catalogue(3)
    monkeypatch.setattr(search.indexing, "PARALLEL_MIN_PRODUCTS", 2)
    monkeypatch.setattr(search.indexing, "ProcessPoolExecutor", None)

    assert search_index(batch_size=2, workers=2)["documents"] == len(products)
    assert ProductSearchEntry.objects.count() == len(products)


def _index_settings(client, index: str) -> dict:
    flat = client.indices.get_settings(index=index, flat_settings=True)[index]["settings"]
    return {k: flat.get(k) for k in ("index.refresh_interval", "index.number_of_replicas")}


def test_the_new_index_fills_without_refreshes_or_replicas_and_gets_its_settings_back(
    es_backend, search_index
):
    from search.backends.elasticsearch import alias_name

    _catalogue(3)
    seen = []

    def during(done, total):
        (filling,) = [
            name
            for name, info in es_backend.indices.get(index=f"{alias_name()}-*").items()
            if alias_name() not in info.get("aliases", {})
        ]
        seen.append(_index_settings(es_backend, filling))

    index = search_index(batch_size=2, progress=during)["index"]

    assert seen == [{"index.refresh_interval": "-1", "index.number_of_replicas": "0"}] * 2
    # As the index was created: the server's refresh interval, its replicas.
    assert _index_settings(es_backend, index) == {
        "index.refresh_interval": None,
        "index.number_of_replicas": "0",
    }


def test_a_rebuild_that_fails_leaves_the_live_index_and_no_half_built_one(es_backend, search_index):
    from search.backends.elasticsearch import alias_name

    products = _catalogue(3)
    live = search_index()["index"]

    def fail(done, total):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        search_index(batch_size=2, progress=fail)

    assert set(es_backend.indices.get(index=f"{alias_name()}-*")) == {live}
    assert not IndexRebuild.objects.exists()
    assert found("木耳") == {p.pk for p in products if "木耳" in p.title}


# --- a rebuild that died ---------------------------------------------------------


def test_the_stale_rule_counts_from_the_last_heartbeat(settings):
    settings.SEARCH_REBUILD_STALE_SECONDS = 900
    now = timezone.now()
    assert rebuild_stale_before(now) == now - timedelta(minutes=15)


def _held_change(product) -> IndexOutbox:
    return IndexOutbox.objects.create(object_id=product.pk, held=True)


def test_changes_held_by_a_rebuild_that_died_are_applied_once_it_is_stale(search_index, settings):
    settings.SEARCH_REBUILD_STALE_SECONDS = 900
    muer = product_with_stock(title="柞水黑木耳 250g")
    search_index()
    IndexOutbox.objects.all().delete()
    now = timezone.now()
    # A rebuild crashed 10 minutes ago, after the change was applied and held.
    IndexRebuild.objects.create(heartbeat_at=now - timedelta(minutes=10))
    type(muer).objects.filter(pk=muer.pk).update(title="柞水香菇 干货 500g")
    change = _held_change(muer)

    assert outbox_apply(now=now) == {"rows": 0, "objects": 0, "failed": 0}
    assert IndexOutbox.objects.filter(pk=change.pk, held=True).exists(), "not stale yet"

    later = now + timedelta(minutes=6)
    assert outbox_apply(now=later) == {"rows": 1, "objects": 1, "failed": 0}
    assert not IndexRebuild.objects.exists()
    assert not IndexOutbox.objects.exists()
    assert found("香菇") == {muer.pk}


def test_a_new_rebuild_clears_a_dead_one_and_its_unfinished_index(
    es_backend, search_index, settings
):
    from search.backends.elasticsearch import alias_name, new_index

    settings.SEARCH_REBUILD_STALE_SECONDS = 900
    muer = product_with_stock(title="柞水黑木耳 250g")
    live = search_index()["index"]
    IndexOutbox.objects.all().delete()
    dead = IndexRebuild.objects.create(heartbeat_at=timezone.now() - timedelta(hours=2))
    new_index(f"{alias_name()}-20260101000000-000001").create()  # its half-built index
    change = _held_change(muer)

    result = search_index()

    assert not IndexRebuild.objects.filter(pk=dead.pk).exists()
    assert set(es_backend.indices.get(index=f"{alias_name()}-*")) == {result["index"]}
    assert result["index"] != live
    # Released: due for the next outbox run.
    assert not IndexOutbox.objects.get(pk=change.pk).held


def test_a_live_rebuild_keeps_holding_the_changes_it_may_have_missed(settings):
    settings.SEARCH_REBUILD_STALE_SECONDS = 900
    muer = product_with_stock(title="柞水黑木耳 250g")
    IndexOutbox.objects.all().delete()
    running = outbox_rebuild_started()
    IndexOutbox.objects.create(object_id=muer.pk)

    assert outbox_apply() == {"rows": 1, "objects": 1, "failed": 0}

    assert IndexRebuild.objects.filter(pk=running.pk).exists()
    assert IndexOutbox.objects.filter(object_id=muer.pk, held=True).exists()


def test_a_rebuild_taken_for_dead_stops_and_is_not_swapped_in(es_backend, search_index):
    from search.backends.elasticsearch import alias_name

    products = _catalogue(3)
    live = search_index()["index"]

    def reaped(done, total):
        # Another process took this rebuild for dead and released its changes.
        IndexRebuild.objects.all().delete()

    with pytest.raises(IndexRebuildAbandoned) as error:
        search_index(batch_size=2, progress=reaped)

    assert error.value.code == "search_rebuild_abandoned"
    assert set(es_backend.indices.get(index=f"{alias_name()}-*")) == {live}
    assert set(es_backend.indices.get_alias(name=alias_name())) == {live}
    assert found("木耳") == {p.pk for p in products if "木耳" in p.title}
