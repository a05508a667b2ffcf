"""Highlighting marks, on Elasticsearch, exactly what it marked before it was
made cheap (a highlight query of the title clauses only): the product cards
of a fixed set of queries over the corpus, compared with what the previous
highlighter returned (golden/highlights.json, captured from it)."""

import json
from pathlib import Path

import pytest

from search.backends.base import SearchQuery
from search.selectors import product_search

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden" / "highlights.json"

# Chinese words, places, categories, pinyin, initials, English synonyms,
# numbers and specs, typo readings (tried when nothing matches) and relaxed
# queries (some of the terms), and text no product has.
QUERIES = [
    "木耳",
    "柞水木耳",
    "柞水 木耳",
    "黑木耳 500g",
    "木耳 礼盒",
    "陕西 茶叶",
    "紫阳",
    "紫阳毛尖",
    "富硒茶",
    "茶",
    "绿茶",
    "四川 猕猴桃",
    "红心猕猴桃",
    "甘肃 蜂蜜",
    "土蜂蜜",
    "蜂蜜",
    "天麻",
    "核桃",
    "腊肉",
    "陕西 腊肉",
    "苗绣",
    "手捏即开",
    "山西",
    "muer",
    "heimuer",
    "mihoutao",
    "mi hou tao",
    "mht",
    "hme",
    "me",
    "zhashui",
    "zhashui muer",
    "larou",
    "tianma",
    "fengmi",
    "shaanxi fengmi",
    "apple",
    "kiwi",
    "honey",
    "wood ear",
    "green tea",
    "black tea",
    "shiitake",
    "walnut",
    "xiangu",
    "目耳",
    "柞水muer",
    "500g",
    "2.5kg",
    "木耳 巧克力",
    "紫阳 毛尖 咖啡",
    "<script>alert(1)</script>",
]


def marked(text: str) -> list[list[str]]:
    _results, products = product_search(query=SearchQuery(text=text, per_page=50))
    return sorted([p.title, p.search_highlight] for p in products)


def test_highlighting_marks_what_the_previous_highlighter_marked(corpus_es):
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert sorted(golden) == sorted(QUERIES)

    got = {q: marked(q) for q in QUERIES}

    assert {q: got[q] for q in QUERIES if got[q] != golden[q]} == {}
    # The comparison means something: most cards carry marks.
    cards = [h for pairs in golden.values() for _t, h in pairs]
    assert sum("<mark>" in h for h in cards) > len(cards) // 2
