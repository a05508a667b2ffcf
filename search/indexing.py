"""Keeping the search index true: writes go to the database entries and, when
configured, to Elasticsearch, after the transaction that changed the data."""

import logging
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from oscar.core.loading import get_model

from catalogue.lock_objects import products_lock
from search import fulltext
from search.documents import ProductDocument, build_documents, searchable_products
from search.models import ProductSearchCertificateKind, ProductSearchEntry

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
    # Two requests re-indexing the same product at once would collide on the
    # entry's primary key; the product rows, locked in pk order, queue them.
    products_lock(ids=ids)
    ProductSearchEntry.objects.filter(pk__in=ids).delete()
    postgresql = connection.vendor == "postgresql"
    entries = [
        ProductSearchEntry(
            product_id=d.id,
            title=d.title,
            title_words=d.title_words,
            title_pinyin=d.title_pinyin,
            title_initials=d.title_initials,
            search_vector=fulltext.tsvector_text(d) if postgresql else None,
            province_code=d.province_code,
            city_code=d.city_code,
            county_code=d.county_code,
            producer_id=d.producer_id,
            is_key_county=d.is_key_county,
            price=d.price,
            in_stock=d.in_stock,
            num_sold=d.num_sold,
            date_created=d.date_created,
        )
        for d in documents
    ]
    ProductSearchEntry.objects.bulk_create(entries, batch_size=500)
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
    if connection.vendor == "sqlite":
        _write_fts_rows(documents)


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


def search_rebuild_index(
    *, batch_size: int = 500, progress: Callable[[int, int], None] | None = None
) -> dict:
    """Rebuild both indexes from scratch.

    Elasticsearch gets a brand-new index that replaces the old one through an
    atomic alias swap, so searches never see a missing or half-built index.
    Changes committed while it runs are applied to the live index by the
    outbox as usual, and held there (search.outbox): once the alias points at
    the new index they are applied again, to it, so none is lost.
    """
    from search.outbox import outbox_rebuild_finished, outbox_rebuild_started

    started = time.perf_counter()
    # Committed before any product is read for the new index: a change that
    # commits later is held by whichever worker applies it.
    rebuild = outbox_rebuild_started()
    try:
        new_index = old_indices = None
        if settings.ELASTICSEARCH_URL:
            new_index, old_indices = _es_create_new_index()
        ids = list(searchable_products().order_by("pk").values_list("pk", flat=True))
        total = len(ids)
        with transaction.atomic():
            ProductSearchEntry.objects.exclude(pk__in=searchable_products().values("pk")).delete()
        done = 0
        for start in range(0, total, batch_size):
            chunk = ids[start : start + batch_size]
            documents = build_documents(chunk)
            _write_entries(documents, set(chunk))
            if new_index:
                _es_bulk(documents, new_index)
            done += len(chunk)
            if progress:
                progress(done, total)
        if new_index:
            _es_swap_alias(new_index, old_indices)
    finally:
        held = outbox_rebuild_finished(rebuild)
    from search.pages import pages_rebuild_index

    pages = pages_rebuild_index()
    seconds = time.perf_counter() - started
    return {
        "documents": total,
        "seconds": seconds,
        "per_second": total / seconds if seconds else 0.0,
        "index": new_index,
        "pages": pages,
        "held_changes": held,
    }


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


def _es_bulk(documents, index: str) -> None:
    from elasticsearch.helpers import bulk

    from search.backends.elasticsearch import connection

    bulk(connection(), es_actions(documents, index), chunk_size=500)


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
