"""The database backend's text search (search.fulltext, issue 17 item 3): the
index answers with AND semantics, the total and facets come from one query,
PostgreSQL's GIN indexes serve the text, SQLite's FTS5 table follows the
entries, and both backends count the same products for the same query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.relevance import load_judgments
from search.backends.base import FACET_NAMES, SearchQuery
from search.backends.database import DatabaseBackend
from search.backends.elasticsearch import ElasticsearchBackend
from search.fulltext import FTS_TABLE
from search.models import ProductSearchEntry
from search.querying import synonyms

pytestmark = pytest.mark.django_db

ALL = 1000  # more than the corpus: one page holds every hit


def db_ids(text: str, **kwargs) -> set[int]:
    results = DatabaseBackend().search(SearchQuery(text=text, per_page=ALL, **kwargs))
    assert results.total == len(results.hits)
    return {h.product_id for h in results.hits}


# --- on both databases (the SQLite pass of scripts/run-tests.sh too) ---------


@pytest.mark.both_databases
@pytest.mark.parametrize(
    "first, second",
    [("陕西", "茶叶"), ("柞水", "木耳"), ("muer", "礼盒"), ("honey", "500g"), ("富硒", "茶")],
)
def test_every_term_must_match_the_index_answers_the_intersection(corpus, first, second):
    both = db_ids(f"{first} {second}")

    assert both, "the pair must have products holding both terms"
    assert both == db_ids(first) & db_ids(second)
    assert db_ids(first) - both or db_ids(second) - both, "a case where AND removes products"


@pytest.mark.both_databases
@pytest.mark.parametrize("text", ["木耳", "柞水", "zhashui", "me", "500g"])
def test_hanzi_pinyin_initials_and_literal_terms_find_what_the_corpus_says(corpus, text):
    meant = {
        "木耳": lambda i: "木耳" in i.title,
        "柞水": lambda i: i.county == "611026",
        "zhashui": lambda i: i.county == "611026",
        "me": lambda i: "木耳" in i.title,
        "500g": lambda i: "500g" in i.title.lower().split(),
    }[text]

    found = db_ids(text)

    assert {i.pk for i in corpus.items if meant(i)} <= found


@pytest.mark.both_databases
def test_a_single_character_is_not_found_inside_other_words_of_the_description(corpus):
    # 茶 in 茶油 (粮油) is neither a tea title nor a tea category.
    teas = db_ids("茶")

    assert teas
    assert all(
        "茶" in corpus.title(pk)
        or corpus.category_id("tea") in next(i for i in corpus.items if i.pk == pk).category_ids
        for pk in teas
    )


@pytest.mark.both_databases
def test_total_and_every_facet_come_from_one_query_and_hits_from_one_more(corpus):
    synonyms()  # the synonym list is cached; the search itself is what is counted
    query = SearchQuery(
        text="陕西 木耳",
        filters={"price": ("0-50", "50-100"), "availability": ("in_stock",)},
    )

    with CaptureQueriesContext(connection) as queries:
        results = DatabaseBackend().search(query)

    assert len(queries) == 2, [q["sql"][:200] for q in queries]
    assert results.total and results.hits
    assert set(results.facets) == set(FACET_NAMES)


@pytest.mark.both_databases
def test_a_query_nothing_matches_costs_one_query(corpus):
    synonyms()

    with CaptureQueriesContext(connection) as queries:
        results = DatabaseBackend().search(SearchQuery(text="松茸 礼盒"))

    assert results.total == 0
    assert len(queries) == 1


@pytest.mark.both_databases
def test_sqlite_keeps_one_fts_row_per_entry_and_drops_it_with_the_entry(corpus):
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 table exists on SQLite only (make run)")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {FTS_TABLE}")
        rows = {r[0] for r in cursor.fetchall()}
    entries = set(ProductSearchEntry.objects.values_list("pk", flat=True))
    assert rows == entries == {i.pk for i in corpus.items}
    muer = db_ids("木耳")
    gone = min(muer)

    ProductSearchEntry.objects.filter(pk=gone).delete()

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {FTS_TABLE} WHERE rowid = %s", [gone])
        assert cursor.fetchone()[0] == 0
    assert db_ids("木耳") == muer - {gone}


# --- PostgreSQL's indexes ----------------------------------------------------


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
    return plan


def test_postgresql_text_match_uses_the_gin_index(corpus):
    if connection.vendor != "postgresql":
        pytest.skip("tsvector and GIN are PostgreSQL's")
    sql, params = (
        ProductSearchEntry.objects.filter(search_vector__matches="'c木' <-> 'c耳' & 'pzha':*")
        .values("pk")
        .query.sql_with_params()
    )

    assert "search_entry_vector_gin" in _plan(sql, params)


def test_postgresql_pinyin_suggestions_use_the_trigram_index(corpus):
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's")
    sql, params = (
        ProductSearchEntry.objects.filter(title_pinyin__contains=" muer")
        .values("pk")
        .query.sql_with_params()
    )

    assert "search_entry_title_pinyin_trgm" in _plan(sql, params)


# --- both backends agree -----------------------------------------------------


def test_both_backends_count_the_same_products_for_every_judged_query(corpus, corpus_es):
    differ = {}
    for judgment in load_judgments():
        for match in ("all", "typo", "any"):
            query = SearchQuery(text=judgment["q"], per_page=ALL, match=match)
            db = DatabaseBackend().search(query)
            es = ElasticsearchBackend().search(query)
            if db.total != es.total or {h.product_id for h in db.hits} != {
                h.product_id for h in es.hits
            }:
                differ[(judgment["q"], match)] = (db.total, es.total)

    assert differ == {}
