"""Facet filters and counts on the corpus, on both backends: counts equal what
the corpus data says, each facet ignores its own filter but obeys the others
(OR within a facet, AND across facets), and the backends agree."""

import pytest

from search.backends import get_backend
from search.backends.base import FACET_NAMES, SearchQuery
from search.backends.database import DatabaseBackend
from search.backends.elasticsearch import ElasticsearchBackend

pytestmark = pytest.mark.django_db

ALL = 1000  # more than the corpus: one page holds every hit


def run(backend=None, **kwargs):
    return (backend or get_backend()).search(SearchQuery(per_page=ALL, **kwargs))


def counts(results) -> dict[str, dict[str, int]]:
    """Facet counts by value. A blank city (a municipality's districts have no
    city) is left out here: Elasticsearch reports it as an option, which
    test_municipality_products_count_under_province_but_no_city pins down."""
    return {
        name: {o.value: o.count for o in options if (name, o.value) != ("city", "")}
        for name, options in results.facets.items()
    }


def hit_ids(results) -> set[int]:
    return {h.product_id for h in results.hits}


def expected_counts(corpus, filters, scope=None) -> dict[str, dict[str, int]]:
    return {name: corpus.facet_counts(name, filters, scope) for name in FACET_NAMES}


def assert_matches_corpus(results, corpus, filters, scope=None):
    expected_items = corpus.matching(filters, scope)
    assert hit_ids(results) == {i.pk for i in expected_items}
    assert results.total == len(expected_items)
    assert counts(results) == expected_counts(corpus, filters, scope)


def test_unfiltered_facet_counts_equal_the_corpus_counts(corpus, corpus_backend):
    results = run()

    assert results.total == len(corpus.items) == 204
    assert_matches_corpus(results, corpus, {})


def test_municipality_products_count_under_province_but_no_city(corpus, corpus_backend):
    results = run(filters={"province": ("500000",)})

    assert {corpus.title(pk) for pk in hit_ids(results)} >= {"巫山脆李 5斤装", "奉节脐橙 10斤 整箱"}
    assert results.facets["city"] == [], "重庆's counties hang off the province: no city option"


@pytest.mark.parametrize(
    ("facet", "values"),
    [
        ("province", ("520000",)),
        ("city", ("611000",)),
        ("county", ("610924",)),
        ("category", ("fungi",)),
        ("category", ("tea",)),  # a parent: its children's products count
        ("producer", ("zy_tea",)),
        ("certificate", ("gi",)),
        ("key_county", ("true",)),
        ("key_county", ("false",)),
        ("price", ("50-100",)),
        ("price", ("200-",)),
        ("availability", ("out_of_stock",)),
    ],
)
def test_each_facet_filter_narrows_to_the_matching_products(corpus, corpus_backend, facet, values):
    values = _resolve(corpus, facet, values)
    results = run(filters={facet: values})

    assert 0 < results.total < len(corpus.items)
    assert_matches_corpus(results, corpus, {facet: values})
    assert {o.value for o in results.facets[facet] if o.selected} == set(values)


def _resolve(corpus, facet, values):
    """Corpus keys to the ids the database gave them."""
    if facet == "category":
        return tuple(corpus.category_id(v) for v in values)
    if facet == "producer":
        return tuple(str(corpus.producers[v].pk) for v in values)
    return values


def test_values_of_one_facet_combine_with_or_and_its_counts_ignore_its_own_filter(
    corpus, corpus_backend
):
    unfiltered = run()
    filters = {"province": ("610000", "520000")}
    results = run(filters=filters)

    assert results.total == sum(1 for i in corpus.items if i.province in ("610000", "520000"))
    assert counts(results)["province"] == counts(unfiltered)["province"]
    assert_matches_corpus(results, corpus, filters)


def test_filters_of_different_facets_combine_with_and_each_counting_under_the_others(
    corpus, corpus_backend
):
    filters = {
        "province": ("610000", "510000"),
        "certificate": ("gi", "organic"),
        "availability": ("in_stock",),
    }
    results = run(filters=filters)

    assert_matches_corpus(results, corpus, filters)
    # The province counts see the certificate and stock filters, not the province one.
    assert counts(results)["province"] == {
        "610000": 7,
        "510000": 7,
        "520000": 5,
        "530000": 3,
        "620000": 3,
        "500000": 1,
    }


def test_price_buckets_put_boundary_prices_in_the_upper_bucket(corpus, corpus_backend):
    results = run(filters={"price": ("50-100", "200-")})
    titles = {corpus.title(pk) for pk in hit_ids(results)}

    assert {"岷县黄芪 500g", "昭觉彝绣 手工刺绣挎包"} <= titles  # 50.00 and 200.00
    assert "宕昌百花蜜 1kg" not in titles  # 100.00 belongs to 100-200
    assert_matches_corpus(results, corpus, {"price": ("50-100", "200-")})


def test_expired_and_not_yet_valid_certificates_do_not_count(corpus, corpus_backend):
    results = run()
    certificate_counts = counts(results)["certificate"]

    assert "commitment" not in certificate_counts  # 宕昌's mark starts in 2099
    green = {corpus.title(pk) for pk in hit_ids(run(filters={"certificate": ("green",)}))}
    assert "紫阳毛尖 一级 250g" in green
    assert "洛南核桃 纸皮 2kg" not in green  # its green-food certificate lapsed in 2022


def test_text_query_facets_count_only_matching_products(corpus, corpus_backend):
    results = run(text="木耳", filters={"province": ("610000",)})
    titles = {corpus.title(pk) for pk in hit_ids(results)}

    assert titles >= {"柞水黑木耳 250g 袋装", "柞水椴木黑木耳 1kg 家庭装"}
    assert all(corpus.item(t).province == "610000" for t in titles)
    # Without its own filter the province facet offers the other 木耳 provinces too.
    assert {"510000", "620000"} <= set(counts(results)["province"])


def test_category_scope_restricts_hits_and_counts_and_is_not_a_selected_filter(
    corpus, corpus_backend
):
    scope = {"category": (corpus.category_id("tea"),)}
    filters = {"province": ("530000",)}
    results = run(scope=scope, filters=filters)

    assert_matches_corpus(results, corpus, filters, scope)
    assert not any(o.selected for o in results.facets["category"])
    tea_children = {corpus.category_id(k) for k in ("green_tea", "black_tea", "dark_tea")}
    assert set(counts(results)["category"]) <= tea_children | {corpus.category_id("tea")}


def test_category_scope_with_a_category_filter_inside_it(corpus, corpus_backend):
    scope = {"category": (corpus.category_id("tea"),)}
    filters = {"category": (corpus.category_id("black_tea"),), "key_county": ("false",)}
    results = run(scope=scope, filters=filters)

    assert_matches_corpus(results, corpus, filters, scope)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"text": "muer", "filters": {"availability": ("in_stock",)}},
        {"filters": {"key_county": ("true",), "price": ("0-50", "100-200")}},
        {"filters": {"province": ("500000", "620000")}},
        {"scope": {"category": ("fruit",)}, "filters": {"certificate": ("gi",)}},
    ],
    ids=["all", "pinyin+stock", "key+price", "municipality", "scope"],
)
def test_both_backends_return_the_same_hits_totals_and_facets(corpus, corpus_es, query):
    if "scope" in query:
        query = {**query, "scope": {"category": (corpus.category_id("fruit"),)}}
    database = run(DatabaseBackend(), **query)
    elasticsearch = run(ElasticsearchBackend(), **query)

    assert hit_ids(elasticsearch) == hit_ids(database)
    assert elasticsearch.total == database.total
    assert counts(elasticsearch) == counts(database)
    selected = {n: {o.value for o in opts if o.selected} for n, opts in database.facets.items()}
    assert selected == {
        n: {o.value for o in opts if o.selected} for n, opts in elasticsearch.facets.items()
    }
