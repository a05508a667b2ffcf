"""Durable indexing: changes write outbox rows in their own transaction; the
apply task writes them in bulk, keeps them with a growing wait while
Elasticsearch is away, and converges once it is back, with no rebuild; a
rebuild loses none of the changes made while it runs."""

import pytest
from django.urls import reverse
from django.utils import timezone
from elasticsearch_dsl import connections

from search.backends import get_backend
from search.backends.base import SearchQuery
from search.backends.elasticsearch import CONNECTION_ALIAS, alias_name, connection
from search.models import IndexOutbox, ProductSearchEntry
from search.outbox import RETRY_FIRST, RETRY_MAX, outbox_apply, retry_delay
from search.tasks import search_apply_outbox
from tests.factories import ProducerFactory, product_with_stock

pytestmark = pytest.mark.django_db

# Nothing listens here: every request to it is refused at once.
DEAD_URL = "http://127.0.0.1:9"


def found(text: str) -> set[int]:
    return {h.product_id for h in get_backend().search(SearchQuery(text=text, per_page=100)).hits}


def queued(product) -> int:
    return IndexOutbox.objects.filter(object_id=product.pk).count()


def _reconnect(settings, url):
    settings.ELASTICSEARCH_URL = url
    try:
        connections.remove_connection(CONNECTION_ALIAS)
    except KeyError:
        pass


# --- database backend ---------------------------------------------------------


def test_a_change_writes_outbox_rows_in_its_transaction_and_the_apply_deletes_them(
    search_index, django_capture_on_commit_callbacks
):
    muer = product_with_stock(title="柞水黑木耳 250g")
    search_index()
    IndexOutbox.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        muer.title = "柞水香菇 干货 500g"
        muer.save()
        muer.stockrecords.get().save()
        assert queued(muer) == 2, "written with the change, before the commit"
        assert muer.pk not in found("香菇")

    assert callbacks, "the apply task is queued once the transaction commits"
    assert IndexOutbox.objects.count() == 0
    assert found("香菇") == {muer.pk}


def test_the_apply_indexes_each_product_once_however_many_rows_it_has(search_index):
    products = [product_with_stock(title=f"紫阳毛尖 {n}级") for n in range(3)]
    IndexOutbox.objects.all().delete()
    for _ in range(4):
        IndexOutbox.objects.bulk_create(IndexOutbox(object_id=p.pk) for p in products)

    assert outbox_apply() == {"rows": 12, "objects": 3, "failed": 0}
    assert found("毛尖") == {p.pk for p in products}
    assert not IndexOutbox.objects.exists()


def test_a_deleted_product_leaves_a_delete_row_and_leaves_search(search_index):
    tea = product_with_stock(title="紫阳毛尖 一级")
    search_index()
    pk = tea.pk
    tea.delete()

    assert IndexOutbox.objects.filter(object_id=pk, op=IndexOutbox.Op.DELETE).exists()
    outbox_apply()
    assert found("毛尖") == set()


def test_a_failed_write_keeps_its_rows_and_waits_longer_each_time(search_index, settings, caplog):
    muer = product_with_stock(title="柞水黑木耳 250g")
    IndexOutbox.objects.all().delete()
    IndexOutbox.objects.create(object_id=muer.pk)
    _reconnect(settings, DEAD_URL)
    now = timezone.now()
    try:
        assert outbox_apply(now=now) == {"rows": 0, "objects": 0, "failed": 1}
        row = IndexOutbox.objects.get()
        assert (row.attempts, row.next_attempt_at) == (1, now + RETRY_FIRST)
        assert "ConnectionError" in row.last_error
        assert "failed for 1 outbox rows (attempt 1" in caplog.text
        # The database entry is written anyway: the search fallback is current.
        assert ProductSearchEntry.objects.filter(pk=muer.pk).exists()

        # Not due yet: nothing is tried.
        assert outbox_apply(now=now + RETRY_FIRST / 2)["failed"] == 0
        outbox_apply(now=now + RETRY_FIRST)
        row.refresh_from_db()
        assert (row.attempts, row.next_attempt_at) == (2, now + RETRY_FIRST + 2 * RETRY_FIRST)
    finally:
        _reconnect(settings, "")

    assert [retry_delay(n) for n in (1, 2, 3)] == [RETRY_FIRST, 2 * RETRY_FIRST, 4 * RETRY_FIRST]
    assert retry_delay(30) == RETRY_MAX


def test_a_change_that_is_rolled_back_leaves_no_outbox_row(search_index):
    from django.db import transaction

    muer = product_with_stock(title="柞水黑木耳 250g")
    IndexOutbox.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        muer.title = "柞水香菇"
        muer.save()
        raise RuntimeError

    assert not IndexOutbox.objects.exists()


# --- Elasticsearch --------------------------------------------------------------


def _es_title(pk) -> str:
    return connection().get(index=alias_name(), id=pk)["_source"]["title"]


def test_an_elasticsearch_outage_loses_nothing_and_needs_no_rebuild(
    es_backend, settings, search_index, client, django_capture_on_commit_callbacks
):
    producer = ProducerFactory()
    products = [
        product_with_stock(title=f"柞水黑木耳 {n:02d}号", producer=producer) for n in range(50)
    ]
    index = search_index()["index"]
    IndexOutbox.objects.all().delete()
    live_url = settings.ELASTICSEARCH_URL

    # Elasticsearch goes away for the writes; 50 products change.
    _reconnect(settings, DEAD_URL)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            for n, product in enumerate(products):
                product.title = f"柞水香菇 {n:02d}号"
                product.save()

        ids = {p.pk for p in products}
        assert set(IndexOutbox.objects.values_list("object_id", flat=True)) == ids
        assert set(IndexOutbox.objects.values_list("attempts", flat=True)) == {1}
        # The site still works, searching the database, which already knows.
        assert found("香菇") == ids
        response = client.get(reverse("search:search"), {"q": "香菇"})
        assert response.status_code == 200
        html = response.content.decode()
        assert any(p.get_absolute_url() in html for p in products)
    finally:
        # Back again: when the retry is due, the task converges the index.
        _reconnect(settings, live_url)

    assert {_es_title(p.pk) for p in products} == {f"柞水黑木耳 {n:02d}号" for n in range(50)}
    IndexOutbox.objects.update(next_attempt_at=timezone.now())
    search_apply_outbox.delay()

    assert not IndexOutbox.objects.exists()
    assert {p.pk: _es_title(p.pk) for p in products} == {p.pk: p.title for p in products}
    assert found("香菇") == ids
    # No rebuild: the alias still points at the same index.
    assert set(es_backend.indices.get_alias(name=alias_name())) == {index}


def test_a_change_made_during_a_rebuild_reaches_the_new_index(
    es_backend, search_index, monkeypatch
):
    import search.indexing

    muer = product_with_stock(title="柞水黑木耳 250g")
    first = search_index()["index"]
    IndexOutbox.objects.all().delete()
    swap = search.indexing._es_swap_alias
    seen = {}

    def change_then_swap(new, old):
        # The new index is filled (with the old title); a worker applies a
        # change to the live index before the alias moves.
        muer.title = "柞水香菇 干货 500g"
        muer.save()
        outbox_apply()
        seen["live"] = _es_title(muer.pk)
        seen["held"] = IndexOutbox.objects.filter(object_id=muer.pk, held=True).count()
        seen["new"] = connection().get(index=new, id=muer.pk)["_source"]["title"]
        swap(new, old)

    monkeypatch.setattr(search.indexing, "_es_swap_alias", change_then_swap)
    result = search_index()

    assert seen == {"live": "柞水香菇 干货 500g", "held": 1, "new": "柞水黑木耳 250g"}
    assert result["index"] != first
    assert set(es_backend.indices.get_alias(name=alias_name())) == {result["index"]}
    assert _es_title(muer.pk) == "柞水香菇 干货 500g"
    assert found("香菇") == {muer.pk}
    assert not IndexOutbox.objects.exists()


# --- workers sharing the queue ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_worker_skips_the_rows_another_worker_is_applying_instead_of_waiting():
    import threading

    from django.db import connection, transaction

    from search.lock_objects import outbox_claim

    # Each save commits here, and its outbox rows are applied at once (eager).
    products = [product_with_stock(title=f"紫阳毛尖 {n}级") for n in range(4)]
    assert not IndexOutbox.objects.exists()
    IndexOutbox.objects.bulk_create(IndexOutbox(object_id=p.pk) for p in products)
    claimed, holding, done = [], threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                claimed.extend(r.object_id for r in outbox_claim(now=timezone.now(), limit=2))
                holding.set()
                done.wait(timeout=120)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert holding.wait(timeout=120)
        # Without SKIP LOCKED this would block until the other worker commits.
        assert outbox_apply() == {"rows": 2, "objects": 2, "failed": 0}
    finally:
        done.set()
        thread.join()

    assert claimed == [p.pk for p in products[:2]]
    # Its rows are still there for it (or the next run) to apply.
    assert set(IndexOutbox.objects.values_list("object_id", flat=True)) == set(claimed)


def test_a_direct_reindex_that_elasticsearch_refuses_is_queued_for_a_retry(settings):
    from search.indexing import products_reindex

    muer = product_with_stock(title="柞水黑木耳 250g")
    IndexOutbox.objects.all().delete()
    _reconnect(settings, DEAD_URL)
    try:
        assert products_reindex(product_ids=[muer.pk]) == 1
    finally:
        _reconnect(settings, "")

    assert list(IndexOutbox.objects.values_list("object_id", flat=True)) == [muer.pk]


# --- one run per transaction ------------------------------------------------------


def test_one_transaction_queues_one_outbox_run_however_many_changes_it_makes(
    search_index, django_capture_on_commit_callbacks, monkeypatch
):
    from django.db import transaction

    muer = product_with_stock(title="柞水黑木耳 250g")
    search_index()
    IndexOutbox.objects.all().delete()
    runs = []
    monkeypatch.setattr(search_apply_outbox, "delay", lambda: runs.append(outbox_apply()))

    with django_capture_on_commit_callbacks(execute=True):
        muer.title = "柞水香菇 干货 500g"
        muer.save()
        muer.stockrecords.get().save()
        try:
            with transaction.atomic():
                muer.producer.partner.save()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        muer.producer.save()

    assert runs == [{"rows": 3, "objects": 1, "failed": 0}]
    assert found("香菇") == {muer.pk}

    # The next transaction gets its own run.
    with django_capture_on_commit_callbacks(execute=True):
        muer.stockrecords.get().save()
    assert len(runs) == 2


def test_a_change_in_a_savepoint_that_rolled_back_leaves_the_transactions_run_in_place(
    search_index, django_capture_on_commit_callbacks, monkeypatch
):
    from django.db import transaction

    muer = product_with_stock(title="柞水黑木耳 250g")
    search_index()
    IndexOutbox.objects.all().delete()
    runs = []
    monkeypatch.setattr(search_apply_outbox, "delay", lambda: runs.append(outbox_apply()))

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                muer.save()  # the first kick, in the savepoint
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        muer.title = "柞水香菇 干货 500g"
        muer.save()

    assert runs == [{"rows": 1, "objects": 1, "failed": 0}]
    assert found("香菇") == {muer.pk}


# --- content pages -----------------------------------------------------------------


def _story(**kwargs):
    from tests.factories.cms import story_page

    body = [("paragraph", {"heading": "我们的村", "text": "<p>村里的老人在段木上种出了香菇。</p>"})]
    return story_page(ProducerFactory(name="金米村木耳专业合作社"), body=body, **kwargs)


def test_publishing_a_page_queues_it_in_the_outbox_and_the_run_indexes_it(
    search_backend_name, django_capture_on_commit_callbacks
):
    from search.pages import page_search

    with django_capture_on_commit_callbacks(execute=False):
        story = _story()
        assert IndexOutbox.objects.filter(model=IndexOutbox.PAGE, object_id=story.pk).exists()
    assert page_search(text="香菇") == [], "not before the outbox run"

    outbox_apply()
    assert page_search(text="香菇") == [story]

    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish()
    assert page_search(text="香菇") == []
    assert not IndexOutbox.objects.exists()


def test_a_page_published_while_elasticsearch_is_down_is_indexed_once_it_is_back(
    es_backend, settings, django_capture_on_commit_callbacks
):
    from search.models import PageSearchEntry
    from search.pages import page_search, pages_index_name

    live_url = settings.ELASTICSEARCH_URL
    _reconnect(settings, DEAD_URL)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            story = _story()
        row = IndexOutbox.objects.get(model=IndexOutbox.PAGE, object_id=story.pk)
        assert row.attempts == 1 and "ConnectionError" in row.last_error
        # The database fallback already finds it.
        assert PageSearchEntry.objects.filter(page_id=story.pk).exists()
    finally:
        _reconnect(settings, live_url)

    IndexOutbox.objects.update(next_attempt_at=timezone.now())
    outbox_apply()

    assert not IndexOutbox.objects.exists()
    assert es_backend.get(index=pages_index_name(), id=story.pk)["found"]
    assert page_search(text="香菇") == [story]
