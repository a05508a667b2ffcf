"""Keeping the search index true: writes go to the database entries and, when
configured, to Elasticsearch, after the transaction that changed the data."""

import logging
import multiprocessing
import multiprocessing.util
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Q
from oscar.core.loading import get_model

from catalogue.lock_objects import products_lock
from search import analysis, fulltext
from search.documents import (
    ProductDocument,
    Shared,
    build_documents,
    documents_from_rows,
    fetch_rows,
    searchable_products,
)
from search.lock_objects import products_index_lock
from search.models import IndexRebuild, ProductSearchCertificateKind, ProductSearchEntry

Product = get_model("catalogue", "Product")
logger = logging.getLogger(__name__)


def products_schedule_reindex(*, product_ids: Iterable[int], deleted: bool = False) -> None:
    """Re-index these products: an outbox row each, written in the current
    transaction (it commits or rolls back with the change), applied after the
    commit by ``search.apply_outbox`` (search.outbox)."""
    from search.outbox import outbox_add

    outbox_add(product_ids=product_ids, deleted=deleted)


def products_reindex(*, product_ids: Iterable[int], today=None) -> int:
    """Bring the index up to date for these products now (the daily certificate
    job); returns how many are searchable. ``today`` decides which certificates
    count as valid. Changes go through the outbox instead (products_schedule_reindex)."""
    ids = _with_parents(product_ids)
    documents = build_documents(ids, today=today)
    _write_entries(documents, ids)
    if settings.ELASTICSEARCH_URL:
        try:
            _write_elasticsearch(documents, ids)
        except Exception:
            # The shop must keep selling when the search server is down: the
            # outbox (search.outbox) retries these products until it is back.
            from search.outbox import outbox_add

            logger.exception(
                "Elasticsearch indexing failed for %d products; queued for a retry", len(ids)
            )
            outbox_add(product_ids=ids)
    return len(documents)


def _with_parents(product_ids: Iterable[int]) -> set[int]:
    ids = set(product_ids)
    # A variant is found through its listing (search.documents): a change to
    # one (its price, its stock, an order for it) re-indexes its parent.
    ids |= set(
        Product.objects.filter(pk__in=ids, parent__isnull=False).values_list("parent_id", flat=True)
    )
    return ids


def products_index_apply(*, product_ids: Iterable[int]) -> int:
    """The outbox's write (search.outbox): like ``products_reindex``, but the
    products are locked before their documents are read, so two workers applying
    the same product write in the order they read, and an Elasticsearch failure
    raises (the outbox keeps the rows and retries) instead of being logged.
    The database entries are written either way: the search fallback while
    Elasticsearch is away (ElasticsearchWriteFailed then). Runs inside the
    caller's transaction."""
    ids = _with_parents(product_ids)
    products_lock(ids=ids)
    documents = build_documents(ids)
    _write_entries(documents, ids)
    if settings.ELASTICSEARCH_URL:
        try:
            _write_elasticsearch(documents, ids, strict=True)
        except Exception as exc:
            raise ElasticsearchWriteFailed(f"{type(exc).__name__}: {exc}") from exc
    return len(documents)


class ElasticsearchWriteFailed(Exception):
    """The database entries were written; Elasticsearch did not take the documents."""


@transaction.atomic
def _write_entries(documents: list[ProductDocument], ids: set[int]) -> None:
    """The database backend's rows for these products: an entry, its category
    links and its certificate kinds per document; the entries of ``ids`` with
    no document (no longer searchable, deleted) go."""
    # Two requests re-indexing the same product at once would collide on the
    # entry's primary key; the product rows, locked in pk order, queue them.
    products_index_lock(ids=ids)
    if connection.vendor == "postgresql":
        _copy_entries(documents, ids)
    else:
        _bulk_entries(documents, ids)
        _write_fts_rows(documents)


def _bulk_entries(documents: list[ProductDocument], ids: set[int]) -> None:
    """The entries deleted and inserted again through the ORM: SQLite's way
    (and what _copy_entries must leave behind on PostgreSQL)."""
    ProductSearchEntry.objects.filter(pk__in=ids).delete()
    postgresql = connection.vendor == "postgresql"
    ProductSearchEntry.objects.bulk_create(
        [ProductSearchEntry(**_entry_values(d, postgresql=postgresql)) for d in documents],
        batch_size=500,
    )
    Link = ProductSearchEntry.categories.through
    Link.objects.bulk_create(
        [
            Link(productsearchentry_id=d.id, category_id=c)
            for d in documents
            for c in d.category_ids
        ],
        batch_size=1000,
    )
    ProductSearchCertificateKind.objects.bulk_create(
        [
            ProductSearchCertificateKind(entry_id=d.id, kind=k)
            for d in documents
            for k in d.certificate_kinds
        ],
        batch_size=1000,
    )


def _entry_values(d: ProductDocument, *, postgresql: bool) -> dict:
    """An entry's column values by attname (a column of ProductSearchEntry
    that is not here gets its default)."""
    return {
        "product_id": d.id,
        "title": d.title,
        "title_words": d.title_words,
        "title_pinyin": d.title_pinyin,
        "title_initials": d.title_initials,
        "search_vector": fulltext.tsvector_text(d) if postgresql else None,
        "province_code": d.province_code,
        "city_code": d.city_code,
        "county_code": d.county_code,
        "producer_id": d.producer_id,
        "is_key_county": d.is_key_county,
        "price": d.price,
        "in_stock": d.in_stock,
        "num_sold": d.num_sold,
        "date_created": d.date_created,
        "facet_category_ids": d.category_ids if postgresql else None,
        "facet_certificate_kinds": d.certificate_kinds if postgresql else None,
    }


# Values COPY writes as the ORM would send them, without asking the field.
_PLAIN = frozenset({str, int, bool, type(None)})


def _db_value(field, values: dict):
    value = values[field.attname] if field.attname in values else field.get_default()
    return value if type(value) in _PLAIN else field.get_db_prep_save(value, connection)


# PostgreSQL: the batch is copied (COPY, no SQL text to build or parse) into
# temporary tables of this session, then merged in one statement per table:
# entries upserted, but only where a value differs (a rebuild mostly finds
# them unchanged, and an unchanged row costs no new row version and no GIN
# entry); links and kinds the documents no longer have deleted, new ones
# inserted. The result is the rows delete-then-insert would leave.
_STAGE_ENTRIES = "search_entry_stage"
_STAGE_LINKS = "search_entry_category_stage"
_STAGE_KINDS = "search_entry_kind_stage"


def _copy_entries(documents: list[ProductDocument], ids: set[int]) -> None:
    entry_table = ProductSearchEntry._meta.db_table
    fields = ProductSearchEntry._meta.concrete_fields
    pk = ProductSearchEntry._meta.pk.column
    Link = ProductSearchEntry.categories.through
    link_table = Link._meta.db_table
    link_entry = Link._meta.get_field("productsearchentry").column
    link_category = Link._meta.get_field("category").column
    kind_table = ProductSearchCertificateKind._meta.db_table
    kind_entry = ProductSearchCertificateKind._meta.get_field("entry").column
    kind_kind = ProductSearchCertificateKind._meta.get_field("kind").column
    present = [d.id for d in documents]
    gone = ids - set(present)
    if gone:
        # Through the ORM: it follows every relation to the entries.
        ProductSearchEntry.objects.filter(pk__in=gone).delete()
    if not documents:
        return
    q = connection.ops.quote_name
    columns = ", ".join(q(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE_ENTRIES} "
            f"(LIKE {q(entry_table)} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS;"
            f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE_LINKS} "
            "(entry_id bigint NOT NULL, category_id bigint NOT NULL) ON COMMIT DELETE ROWS;"
            f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE_KINDS} "
            "(entry_id bigint NOT NULL, kind text NOT NULL) ON COMMIT DELETE ROWS;"
            # Empty even when an earlier write of the same transaction used
            # them (DELETE: TRUNCATE would give each table a new file, and
            # the commit empties them in place anyway).
            f"DELETE FROM {_STAGE_ENTRIES}; DELETE FROM {_STAGE_LINKS}; DELETE FROM {_STAGE_KINDS}"
        )
        raw = cursor.cursor
        with raw.copy(f"COPY {_STAGE_ENTRIES} ({columns}) FROM STDIN") as copy:
            for d in documents:
                values = _entry_values(d, postgresql=True)
                copy.write_row([_db_value(f, values) for f in fields])
        with raw.copy(f"COPY {_STAGE_LINKS} (entry_id, category_id) FROM STDIN") as copy:
            for d in documents:
                for c in d.category_ids:
                    copy.write_row((d.id, c))
        with raw.copy(f"COPY {_STAGE_KINDS} (entry_id, kind) FROM STDIN") as copy:
            for d in documents:
                for k in d.certificate_kinds:
                    copy.write_row((d.id, k))
        others = [f.column for f in fields if f.column != pk]
        cursor.execute(
            f"INSERT INTO {q(entry_table)} ({columns}) SELECT {columns} FROM {_STAGE_ENTRIES} "
            f"ON CONFLICT ({q(pk)}) DO UPDATE SET "
            + ", ".join(f"{q(c)} = EXCLUDED.{q(c)}" for c in others)
            + f" WHERE ({', '.join(f'{q(entry_table)}.{q(c)}' for c in others)}) "
            f"IS DISTINCT FROM ({', '.join(f'EXCLUDED.{q(c)}' for c in others)})"
        )
        for table, entry, value, stage in (
            (link_table, link_entry, link_category, _STAGE_LINKS),
            (kind_table, kind_entry, kind_kind, _STAGE_KINDS),
        ):
            stage_value = "category_id" if stage == _STAGE_LINKS else "kind"
            cursor.execute(
                f"DELETE FROM {q(table)} t WHERE t.{q(entry)} = ANY(%s) AND NOT EXISTS "
                f"(SELECT 1 FROM {stage} s WHERE s.entry_id = t.{q(entry)} "
                f"AND s.{stage_value} = t.{q(value)})",
                [present],
            )
            cursor.execute(
                f"INSERT INTO {q(table)} ({q(entry)}, {q(value)}) "
                f"SELECT entry_id, {stage_value} FROM {stage} "
                f"ON CONFLICT ({q(entry)}, {q(value)}) DO NOTHING"
            )


def _write_fts_rows(documents: list[ProductDocument]) -> None:
    """SQLite's FTS5 rows (search.fulltext); deleting an entry deletes its row
    (a trigger, search migration 0006)."""
    columns = fulltext.FTS_COLUMNS
    rows = [(d.id, fulltext.fts_row(d)) for d in documents]
    with connection.cursor() as cursor:
        # A row left by an entry deleted outside the ORM would refuse the insert.
        cursor.executemany(
            f"DELETE FROM {fulltext.FTS_TABLE} WHERE rowid = %s", [(pk,) for pk, _row in rows]
        )
        cursor.executemany(
            f"INSERT INTO {fulltext.FTS_TABLE} (rowid, {', '.join(columns)}) "
            f"VALUES (%s, {', '.join(['%s'] * len(columns))})",
            [(pk, *(row[c] for c in columns)) for pk, row in rows],
        )


def es_source(document: ProductDocument) -> dict:
    source = {k: v for k, v in document.__dict__.items() if k != "id"}
    source["product_id"] = document.id
    # Municipalities have no city: no value rather than an empty facet option.
    source["city_code"] = document.city_code or None
    source["price"] = float(document.price) if document.price is not None else None
    source["producer_id"] = str(document.producer_id)
    source["category_ids"] = [str(c) for c in document.category_ids]
    return source


def es_actions(documents: list[ProductDocument], index: str, delete_ids: Iterable[int] = ()):
    for d in documents:
        yield {"_op_type": "index", "_index": index, "_id": d.id, "_source": es_source(d)}
    for pk in delete_ids:
        yield {"_op_type": "delete", "_index": index, "_id": pk}


def _write_elasticsearch(
    documents: list[ProductDocument], ids: set[int], *, strict: bool = False
) -> None:
    from elasticsearch.helpers import bulk

    from search.backends.elasticsearch import alias_name, connection

    client = connection()
    if not client.indices.exists_alias(name=alias_name()):
        # No index yet: search_rebuild_index creates it with the full catalogue.
        return
    missing = ids - {d.id for d in documents}
    bulk(
        client,
        es_actions(documents, alias_name(), missing),
        chunk_size=500,
        # strict: any document that did not make it fails the whole write
        # (deleting one that is already gone is fine).
        raise_on_error=strict,
        ignore_status=(404,),
        refresh=settings.ELASTICSEARCH_REFRESH_ON_WRITE,
    )


# Below this many products a rebuild analyses text in its own process:
# forking workers would cost more than it saves.
PARALLEL_MIN_PRODUCTS = 2000
# Documents per bulk request during a rebuild (about 2 kB each), and requests
# in flight at once: Elasticsearch indexes one while the next is serialised.
REBUILD_BULK_CHUNK = 1000
REBUILD_BULK_THREADS = 2


def search_rebuild_index(
    *,
    batch_size: int = 500,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    fallback_progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Rebuild both indexes from scratch: the one search is served from first,
    then, when that is Elasticsearch, the database entries search falls back
    on while Elasticsearch cannot answer (search.backends).

    Elasticsearch gets a brand-new index that replaces the old one through an
    atomic alias swap, so searches never see a missing or half-built index.
    Changes committed while it runs are applied to the live index by the
    outbox as usual, and held there (search.outbox): once both passes are
    done they are applied again, so none is lost.

    Each pass runs at the speed of the engine: ``workers`` processes (default:
    one per CPU; this process alone below PARALLEL_MIN_PRODUCTS or inside a
    transaction) each take a batch and read it in a fixed number of queries,
    and analyse its text. In the first pass background threads here stream the
    documents into the new index, which refreshes nothing and has no replicas
    until it is full; in the database pass the workers write the entries. The
    passes run one after the other, so shoppers get the new index after the
    first: writing the entries beside it took the two CPUs of the benchmark's
    machine from Elasticsearch and doubled the time to the swap.

    ``progress`` follows the pass that builds the index search is served from;
    ``fallback_progress`` the database pass after an Elasticsearch one.
    """
    from search.outbox import (
        outbox_rebuild_finished,
        outbox_rebuild_heartbeat,
        outbox_rebuild_started,
    )

    started = time.perf_counter()
    # Committed before any product is read for the new index: a change that
    # commits later is held by whichever worker applies it.
    rebuild = outbox_rebuild_started()
    new_index, swapped, index_seconds = None, False, None
    try:
        ids = list(searchable_products().order_by("pk").values_list("pk", flat=True))
        total = len(ids)
        batches = [ids[start : start + batch_size] for start in range(0, total, batch_size)]
        if workers is None:
            workers = os.cpu_count() or 1
        if total < PARALLEL_MIN_PRODUCTS:
            workers = 1
        shared = Shared.read()

        def passed(chunks, report):
            done = 0
            for chunk, _result in chunks:
                outbox_rebuild_heartbeat(rebuild)
                done += len(chunk)
                if report:
                    report(done, total)

        if settings.ELASTICSEARCH_URL:
            if not IndexRebuild.objects.exclude(pk=rebuild.pk).exists():
                _es_drop_unfinished_indices()
            new_index, old_indices = _es_create_new_index()
            restore = _es_bulk_load_settings(new_index)
            with _batches_indexed(workers, shared, entries=False) as index_batch:
                # Threads start after the workers are forked.
                sink = _es_sink(new_index)
                try:
                    passed(_sent(_documents(batches, index_batch, workers), sink), progress)
                finally:
                    sink.close()
            _es_restore_settings(new_index, restore)
            _es_swap_alias(new_index, old_indices)
            swapped = True
            index_seconds = time.perf_counter() - started
        entries_started = time.perf_counter()
        with transaction.atomic():
            ProductSearchEntry.objects.exclude(pk__in=searchable_products().values("pk")).delete()
        with _batches_indexed(workers, shared, entries=True) as index_batch:
            passed(
                _documents(batches, index_batch, workers),
                fallback_progress if new_index else progress,
            )
        entries_seconds = time.perf_counter() - entries_started
        if index_seconds is None:
            index_seconds = time.perf_counter() - started
        from search.pages import pages_rebuild_index

        # Before the rows held meanwhile are released: page changes made
        # while the pages are rewritten are applied again afterwards.
        pages = pages_rebuild_index()
    except BaseException:
        if new_index and not swapped:
            _es_drop_index(new_index)
        raise
    finally:
        held = outbox_rebuild_finished(rebuild)
    seconds = time.perf_counter() - started
    return {
        "documents": total,
        "seconds": seconds,
        "per_second": total / seconds if seconds else 0.0,
        # Until the index search is served from was complete (Elasticsearch's
        # alias swapped, or the database entries written).
        "index_seconds": index_seconds,
        "entries_seconds": entries_seconds,
        "index": new_index,
        "pages": pages,
        "held_changes": held,
    }


def _sent(chunks, sink: "_Pipe"):
    for chunk, documents in chunks:
        sink.put(documents)
        yield chunk, documents


def _index_batch(ids: list[int], shared: Shared, *, entries: bool) -> list[ProductDocument]:
    """One batch: its rows read and its text analysed; with ``entries`` its
    database entries written (and nothing returned: the documents stay in
    the worker), else its documents returned for Elasticsearch."""
    documents = documents_from_rows(fetch_rows(ids, shared=shared))
    if entries:
        _write_entries(documents, set(ids))
        return []
    return documents


@contextmanager
def _batches_indexed(workers: int, shared: Shared, *, entries: bool):
    """A function that indexes a batch of ids (``_index_batch``) and returns
    its future result: in ``workers`` processes, or here when there is one
    worker or the rebuild runs inside a transaction (another connection would
    not see its rows).

    The workers are forked at once, before any thread of the rebuild starts,
    from a process whose jieba is already loaded. This process's database
    connection is closed first, so that no worker shares it: each opens its
    own (and this process reopens one on its next query)."""
    if workers <= 1 or transaction.get_connection().in_atomic_block:
        yield lambda ids: _Done(_index_batch(ids, shared, entries=entries))
        return
    analysis.warm_up()
    connections.close_all()
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_start,
        initargs=(shared, entries),
    ) as pool:
        # With fork every worker starts on the first submit: now.
        with _without_kombu_after_fork():
            pool.submit(_worker_batch, []).result()
        yield lambda ids: pool.submit(_worker_batch, ids)


@contextmanager
def _without_kombu_after_fork():
    """Fork the workers without kombu's after-fork hooks. In a process that
    has talked to the broker (a Celery worker, or a task queued from here),
    kombu's hook closes the inherited broker channels in the child, which
    reads a reply from a socket the parent shares and may already have read:
    the child then waits forever. The workers never use the broker."""
    from multiprocessing import util

    registry = util._afterfork_registry  # (counter, id(obj), func) -> obj
    held = {
        key: obj
        for key, obj in list(registry.items())
        if getattr(key[2], "__module__", "").startswith("kombu")
    }
    for key in held:
        registry.pop(key, None)
    try:
        yield
    finally:
        registry.update(held)


_worker_shared: Shared | None = None
_worker_entries = False


def _worker_start(shared: Shared, entries: bool) -> None:
    global _worker_shared, _worker_entries
    _worker_shared, _worker_entries = shared, entries
    # A worker keeps its database connection from batch to batch (a new one
    # per batch cost a server process and its caches each time) and closes
    # it when it exits: multiprocessing runs these finalizers then.
    multiprocessing.util.Finalize(None, connections.close_all, exitpriority=10)


def _worker_batch(ids: list[int]) -> list[ProductDocument]:
    try:
        return _index_batch(ids, _worker_shared, entries=_worker_entries) if ids else []
    except BaseException:
        # The next batch starts on a fresh connection.
        connections.close_all()
        raise


class _Done:
    """A batch indexed in this process, answered like a worker's future."""

    def __init__(self, documents):
        self._documents = documents

    def result(self):
        return self._documents


def _documents(batches: list[list[int]], index_batch, workers: int):
    """(ids, documents) batch by batch, in order: the next batches are
    indexed while the caller sends this one (at most two per worker in
    flight, so memory stays bounded)."""
    lookahead = 2 * workers
    pending = deque()
    for chunk in batches:
        pending.append((chunk, index_batch(chunk)))
        if len(pending) > lookahead:
            chunk, future = pending.popleft()
            yield chunk, future.result()
    while pending:
        chunk, future = pending.popleft()
        yield chunk, future.result()


class _Pipe:
    """Work handed to background threads through a bounded queue: ``consume``
    takes an iterator of the items put. The first error of a thread is raised
    in the rebuild's thread by the next ``put`` or by ``close``."""

    def __init__(self, name: str, consume: Callable, *, threads: int = 1):
        self._consume = consume
        self._queue: queue.Queue = queue.Queue(maxsize=2 * threads)
        self._errors: list[BaseException] = []
        self._threads = [
            threading.Thread(target=self._run, name=f"{name}-{n}", daemon=True)
            for n in range(threads)
        ]
        for thread in self._threads:
            thread.start()

    def _run(self) -> None:
        from django.db import connections

        try:
            self._consume(iter(self._queue.get, None))
        except BaseException as exc:  # noqa: BLE001 - handed to the rebuild's thread
            self._errors.append(exc)
            # Keep taking items until this thread's end mark, so the rebuild
            # never blocks on a full queue.
            while self._queue.get() is not None:
                pass
        finally:
            connections.close_all()  # this thread's own, if it opened any

    def _raise(self) -> None:
        if self._errors:
            raise self._errors[0]

    def put(self, item) -> None:
        self._raise()
        self._queue.put(item)

    def close(self) -> None:
        for _thread in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join()
        self._raise()


def _es_sink(index: str) -> _Pipe:
    """Documents streamed into the new index by REBUILD_BULK_THREADS threads."""
    from elasticsearch.helpers import streaming_bulk

    from search.backends.elasticsearch import connection

    client = connection()

    def consume(batches):
        actions = (action for documents in batches for action in es_actions(documents, index))
        for _ok, _item in streaming_bulk(
            client, actions, chunk_size=REBUILD_BULK_CHUNK, yield_ok=False
        ):
            pass

    return _Pipe("search-bulk", consume, threads=REBUILD_BULK_THREADS)


def _es_create_new_index() -> tuple[str, list[str]]:
    from search.backends.elasticsearch import alias_name, connection, new_index

    client = connection()
    name = f"{alias_name()}-{time.strftime('%Y%m%d%H%M%S')}-{time.perf_counter_ns() % 10**6:06d}"
    new_index(name).create()
    old = (
        list(client.indices.get_alias(name=alias_name()).keys())
        if client.indices.exists_alias(name=alias_name())
        else []
    )
    return name, old


def _es_bulk_load_settings(index: str) -> dict:
    """No refresh and no replicas while the new index fills (nobody searches
    it yet; replicas copy the finished segments faster than they index each
    document); returns the settings to put back."""
    from search.backends.elasticsearch import connection

    client = connection()
    names = ("index.refresh_interval", "index.number_of_replicas")
    current = client.indices.get_settings(index=index, name=",".join(names), flat_settings=True)
    kept = current[index]["settings"]
    # An unset refresh interval goes back to the server's default (None).
    restore = {name: kept.get(name) for name in names}
    client.indices.put_settings(
        index=index,
        settings={"index.refresh_interval": "-1", "index.number_of_replicas": 0},
    )
    return restore


def _es_restore_settings(index: str, restore: dict) -> None:
    from search.backends.elasticsearch import connection

    connection().indices.put_settings(index=index, settings=restore)


def _es_drop_unfinished_indices() -> None:
    """Indexes of rebuilds that died before their swap (no alias points at
    them); called when no other rebuild runs."""
    from search.backends.elasticsearch import alias_name, connection

    client = connection()
    names = client.indices.get(index=f"{alias_name()}-*", expand_wildcards="open,closed")
    for name, info in names.items():
        if alias_name() not in info.get("aliases", {}):
            logger.warning("Deleting %s, left behind by a rebuild that did not finish", name)
            client.indices.delete(index=name, ignore_unavailable=True)


def _es_drop_index(index: str) -> None:
    """A rebuild that failed leaves no half-built index behind."""
    from search.backends.elasticsearch import connection

    try:
        connection().indices.delete(index=index, ignore_unavailable=True)
    except Exception:
        logger.exception("Could not delete the unfinished index %s", index)


def _es_swap_alias(new: str, old: list[str]) -> None:
    from search.backends.elasticsearch import alias_name, connection

    client = connection()
    client.indices.refresh(index=new)
    actions = [{"remove": {"index": o, "alias": alias_name()}} for o in old]
    actions.append({"add": {"index": new, "alias": alias_name()}})
    client.indices.update_aliases(actions=actions)
    for o in old:
        client.indices.delete(index=o, ignore_unavailable=True)


def products_reindex_certificate_changes(*, day) -> int:
    """Re-index products whose certificates started or lapsed at the start of
    ``day``: validity changes with the calendar, not with a write, so a daily
    run (search_refresh_certificates) keeps the certificate facet true."""
    from datetime import timedelta

    from producers.models import Certificate

    ids = set(
        Certificate.products.through.objects.filter(
            Q(certificate__valid_from=day) | Q(certificate__valid_until=day - timedelta(days=1))
        ).values_list("product_id", flat=True)
    )
    if ids:
        products_reindex(product_ids=ids, today=day)
    return len(ids)
