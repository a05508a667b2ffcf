"""Content pages (producer stories, county pavilions) in site search, on both
backends, beside the products.

search sits beside cms and may not import it: a page type takes part by a
``search_text()`` method (its words: title, place, producer, body text); the
Wagtail publish and unpublish signals keep the index true. The text is
analysed like products' (jieba words and pinyin, search.analysis) and found
the same way: substrings of words and pinyin on the database, whitespace
fields on Elasticsearch (index ``<prefix>-pages``). Publishing and
unpublishing go through the search outbox (search.outbox), as product
changes do."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import translation
from wagtail.models import Locale, Page

from search.analysis import analyse, has_han, query_terms
from search.models import PageSearchEntry

logger = logging.getLogger(__name__)

# How many pages the search results page lists above the products.
PAGES_SHOWN = 6


def page_is_searchable(page) -> bool:
    return callable(getattr(page, "search_text", None))


def page_document(page) -> dict:
    text = page.search_text()
    terms = analyse(f"{page.title} {text}")
    return {
        "title": page.title,
        "text": text,
        "words": terms["words"],
        "pinyin": terms["pinyin"],
        "first_published_at": page.first_published_at,
    }


# --- writing --------------------------------------------------------------------


def pages_schedule_reindex(*, page_ids: Iterable[int], deleted: bool = False) -> None:
    """Re-index these pages (published or unpublished): outbox rows written in
    the current transaction, applied after the commit like products'
    (search.outbox), so an Elasticsearch outage loses no page either."""
    from search.outbox import outbox_add

    outbox_add(page_ids=page_ids, deleted=deleted)


def pages_index_apply(*, page_ids: Iterable[int]) -> int:
    """The outbox's write for pages: each page as it is now, in the database
    entries and Elasticsearch — indexed when live and searchable, removed
    otherwise (unpublished, deleted). Elasticsearch failing raises
    ElasticsearchWriteFailed after the database entries are written. Returns
    how many are indexed."""
    ids = set(page_ids)
    pages = [p for p in Page.objects.live().filter(pk__in=ids).specific() if page_is_searchable(p)]
    gone = ids - {p.pk for p in pages}
    documents = {p.pk: page_document(p) for p in pages}
    _write_entries(documents, gone)
    if settings.ELASTICSEARCH_URL:
        from search.indexing import ElasticsearchWriteFailed

        try:
            _es_write(documents, gone)
        except Exception as exc:
            raise ElasticsearchWriteFailed(f"{type(exc).__name__}: {exc}") from exc
    return len(documents)


def _write_entries(documents: dict[int, dict], gone: set[int]) -> None:
    PageSearchEntry.objects.filter(page_id__in=gone).delete()
    for page_id, document in documents.items():
        PageSearchEntry.objects.update_or_create(
            page_id=page_id,
            defaults={k: document[k] for k in ("title", "words", "pinyin", "first_published_at")},
        )


def pages_rebuild_index() -> int:
    """Index every published searchable page afresh (search_rebuild_index)."""
    pages = [p for p in Page.objects.live().specific() if page_is_searchable(p)]
    PageSearchEntry.objects.exclude(page_id__in=[p.pk for p in pages]).delete()
    documents = {p.pk: page_document(p) for p in pages}
    _write_entries(documents, set())
    if settings.ELASTICSEARCH_URL:
        _es_client().indices.delete(index=pages_index_name(), ignore_unavailable=True)
        _es_write(documents, set())
    return len(pages)


# --- Elasticsearch ----------------------------------------------------------------


def pages_index_name() -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-pages"


_MAPPINGS = {
    "properties": {
        "title": {"type": "text", "analyzer": "standard"},
        "text": {"type": "text", "analyzer": "standard"},
        "words": {"type": "text", "analyzer": "whitespace"},
        "pinyin": {"type": "text", "analyzer": "whitespace"},
        "first_published_at": {"type": "date"},
    }
}


def _es_client():
    from search.backends.elasticsearch import connection

    return connection()


def _es_write(documents: dict[int, dict], gone: set[int]) -> None:
    from elasticsearch.helpers import bulk

    client = _es_client()
    if not client.indices.exists(index=pages_index_name()):
        client.indices.create(
            index=pages_index_name(),
            # A few hundred pages: one shard is plenty; replicas follow the
            # deployment's (ELASTICSEARCH_REPLICAS) so a node loss keeps it searchable.
            settings={"number_of_shards": 1, "number_of_replicas": settings.ELASTICSEARCH_REPLICAS},
            mappings=_MAPPINGS,
        )
    actions = [
        {"_op_type": "index", "_index": pages_index_name(), "_id": pk, "_source": document}
        for pk, document in documents.items()
    ] + [{"_op_type": "delete", "_index": pages_index_name(), "_id": pk} for pk in gone]
    if actions:
        bulk(
            client,
            actions,
            # Removing a page that was never indexed is fine.
            ignore_status=(404,),
            refresh=settings.ELASTICSEARCH_REFRESH_ON_WRITE,
        )


def _es_search(text: str, limit: int) -> list[int]:
    terms = query_terms(text)
    every_char = "100%" if has_han(text) else "75%"
    should = [
        {"match_phrase": {"title": {"query": text, "boost": 8}}},
        {"match": {"title": {"query": text, "minimum_should_match": every_char, "boost": 2}}},
        {"match_phrase": {"text": {"query": text, "boost": 1}}},
    ]
    if terms["words"]:
        should.append(
            {"match": {"words": {"query": terms["words"], "operator": "and", "boost": 3}}}
        )
    if terms["pinyin"]:
        should.append({"match": {"pinyin": {"query": terms["pinyin"], "boost": 2}}})
    response = _es_client().search(
        index=pages_index_name(),
        query={"bool": {"should": should, "minimum_should_match": 1}},
        sort=["_score", {"first_published_at": "desc"}],
        size=limit,
        source=False,
    )
    return [int(hit["_id"]) for hit in response["hits"]["hits"]]


# --- searching --------------------------------------------------------------------


def _db_search(text: str, limit: int) -> list[int]:
    terms = query_terms(text)
    raw = text.strip()
    words = terms["words"].split()
    pinyin = terms["pinyin"].split()
    # Every word of the query must be in the page (as for Elasticsearch's
    # "and"); pinyin typed in Latin letters is matched by its own tokens.
    conditions = []
    if words:
        conditions.append(Q(*[Q(words__icontains=w) for w in words]) | Q(title__icontains=raw))
    if pinyin and not has_han(text):
        conditions.append(Q(*[Q(pinyin__icontains=p) for p in pinyin[:1]]))
    if not conditions:
        return []
    match = conditions[0]
    for condition in conditions[1:]:
        match |= condition
    rows = (
        PageSearchEntry.objects.filter(match)
        .annotate(
            in_title=Case(
                When(title__icontains=raw, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-in_title", "-first_published_at", "-pk")
        .values_list("page_id", flat=True)[:limit]
    )
    return list(rows)


def page_search(*, text: str, limit: int = PAGES_SHOWN) -> list:
    """Published searchable pages matching ``text``, best first, as their
    specific instances. Elasticsearch when configured (the database while it
    cannot answer), as products are searched."""
    text = (text or "").strip()
    if not text:
        return []
    ids: list[int] | None = None
    if settings.ELASTICSEARCH_URL:
        from elasticsearch import NotFoundError, TransportError

        try:
            ids = _es_search(text, limit)
        except (NotFoundError, TransportError) as exc:
            logger.warning("Elasticsearch cannot search pages (%s); using the database.", exc)
    if ids is None:
        ids = _db_search(text, limit)
    if not ids:
        return []
    # live() again: a page unpublished a moment ago is never shown.
    by_id = Page.objects.live().filter(pk__in=ids).specific().in_bulk()
    return _one_per_translation([by_id[i] for i in ids if i in by_id])


def _one_per_translation(pages: list) -> list:
    """A page and its translations are one result, at the best-ranked one's
    place: the version in the visitor's language if it matched, otherwise the
    default language's (the page serves its translation itself), otherwise
    the one that matched."""
    active = translation.get_language() or settings.LANGUAGE_CODE
    default = settings.LANGUAGE_CODE
    locales = dict(Locale.objects.values_list("pk", "language_code"))

    def preference(page) -> int:
        language = locales.get(page.locale_id)
        return 0 if language == active else 1 if language == default else 2

    chosen: dict = {}
    for page in pages:
        best = chosen.get(page.translation_key)
        if best is None or preference(page) < preference(best):
            chosen[page.translation_key] = page
    return list(dict.fromkeys(chosen[page.translation_key] for page in pages))
