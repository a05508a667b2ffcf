"""Sorting, pagination, highlights and suggestions on the corpus, on both backends."""

import html
import re

import pytest

from search.backends import get_backend
from search.backends.base import (
    MAX_PAGE,
    SORT_NEWEST,
    SORT_PRICE_ASC,
    SORT_PRICE_DESC,
    SearchQuery,
)
from search.selectors import product_suggestions

pytestmark = pytest.mark.django_db

PER_PAGE = 24
ALL = 1000


def page_ids(**kwargs) -> list[int]:
    return [h.product_id for h in get_backend().search(SearchQuery(**kwargs)).hits]


def all_pages(**kwargs) -> list[int]:
    ids, page = [], 1
    while chunk := page_ids(page=page, per_page=PER_PAGE, **kwargs):
        ids += chunk
        page += 1
    return ids


def test_price_ascending_lists_every_product_cheapest_first(corpus, corpus_backend):
    ids = all_pages(sort=SORT_PRICE_ASC)

    assert sorted(ids) == sorted(i.pk for i in corpus.items)
    prices = [corpus.item(corpus.title(pk)).price for pk in ids]
    assert prices == sorted(prices)
    assert corpus.title(ids[0]) == "柞水黑木耳 试吃装 50g"  # 9.90


def test_price_descending_lists_the_dearest_first(corpus, corpus_backend):
    ids = page_ids(sort=SORT_PRICE_DESC, per_page=PER_PAGE)
    prices = [corpus.item(corpus.title(pk)).price for pk in ids]

    assert prices == sorted(prices, reverse=True)
    assert corpus.title(ids[0]) == "青川黑木耳 5kg 食堂采购装"  # 720.00


def test_price_sort_orders_the_same_matches_as_the_relevance_sort(corpus, corpus_backend):
    by_relevance = page_ids(text="猕猴桃", per_page=ALL)
    by_price = page_ids(text="猕猴桃", sort=SORT_PRICE_ASC, per_page=ALL)
    prices = [corpus.item(corpus.title(pk)).price for pk in by_price]

    assert sorted(by_price) == sorted(by_relevance)
    assert prices == sorted(prices)


def test_newest_lists_products_by_listing_time(corpus, corpus_backend):
    ids = page_ids(sort=SORT_NEWEST, per_page=PER_PAGE)
    newest = sorted(corpus.items, key=lambda i: i.listed, reverse=True)[:PER_PAGE]

    assert ids == [i.pk for i in newest]


def test_pages_partition_the_results_without_overlap(corpus, corpus_backend):
    first, second = (page_ids(sort=SORT_NEWEST, page=p, per_page=PER_PAGE) for p in (1, 2))
    last = get_backend().search(SearchQuery(sort=SORT_NEWEST, page=9, per_page=PER_PAGE))

    assert len(first) == len(second) == PER_PAGE
    assert not set(first) & set(second)
    assert len(last.hits) == 204 - 8 * PER_PAGE


def test_a_page_past_the_maximum_is_answered_as_the_last_allowed_page(corpus, corpus_backend):
    results = get_backend().search(SearchQuery(page=MAX_PAGE * 10, per_page=PER_PAGE))

    assert results.page == MAX_PAGE
    assert results.hits == []
    assert results.total == 204


def test_a_page_below_one_is_the_first_page(corpus, corpus_backend):
    results = get_backend().search(SearchQuery(sort=SORT_NEWEST, page=-3, per_page=PER_PAGE))

    assert results.page == 1
    assert [h.product_id for h in results.hits] == page_ids(sort=SORT_NEWEST, per_page=PER_PAGE)


def _merged_marks(highlight: str) -> str:
    # Elasticsearch marks each character of a Chinese term; the database marks the term.
    return highlight.replace("</mark><mark>", "")


def test_highlights_mark_the_matched_characters_and_keep_the_title(corpus, corpus_backend):
    results = get_backend().search(SearchQuery(text="木耳", per_page=5))

    assert results.hits
    for hit in results.hits:
        title = corpus.title(hit.product_id)
        assert "<mark>木耳</mark>" in _merged_marks(hit.highlight), hit.highlight
        assert re.sub(r"</?mark>", "", hit.highlight) == html.escape(title)


def test_suggestions_for_a_characters_prefix_are_titles_containing_it(corpus, corpus_backend):
    suggestions = product_suggestions(prefix="猕猴")

    assert suggestions and all("猕猴桃" in s for s in suggestions), suggestions
    assert len(suggestions) == len(set(suggestions))


@pytest.mark.parametrize(("prefix", "word"), [("mihou", "猕猴桃"), ("mht", "猕猴桃")])
def test_suggestions_for_pinyin_and_initials_prefixes(corpus, corpus_backend, prefix, word):
    suggestions = product_suggestions(prefix=prefix)

    assert suggestions and all(word in s for s in suggestions), suggestions


@pytest.mark.parametrize(
    ("prefix", "word"), [("木耳", "木耳"), ("muer", "木耳"), ("mht", "猕猴桃")]
)
def test_suggestions_fill_the_limit_when_enough_titles_match(corpus, corpus_backend, prefix, word):
    suggestions = product_suggestions(prefix=prefix, limit=8)

    # 12 titles contain 木耳 and 14 contain 猕猴桃.
    assert len(suggestions) == 8, suggestions
    assert all(word in s for s in suggestions), suggestions


def test_suggestions_for_an_empty_prefix_are_empty(corpus, corpus_backend):
    assert product_suggestions(prefix="  ") == []
