"""Reads for product listings: search through the configured backend, then
the products and facet labels for the page."""

import dataclasses

from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue.selectors import products_for_listing
from producers.models import Certificate
from regions.models import Region
from search.backends import get_backend
from search.backends.base import FACETS, MAX_PAGE, PRICE_RANGES, SearchQuery, SearchResults
from search.models import SearchSynonym
from search.querying import (
    MATCH_ALL,
    MATCH_ANY,
    MATCH_TYPO,
    file_synonyms,
    plan_query,
    synonym_words,
)

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")


def product_search(*, query: SearchQuery) -> tuple[SearchResults, list]:
    """Run the search and load the page's products in the backend's order,
    each carrying ``search_highlight``."""
    backend = get_backend()
    results, query = _search_with_fallbacks(backend, query)
    if not results.hits and results.total and query.page > 1:
        # A page past the end (an old link, a hand-edited URL): show the last one.
        last = min(-(-results.total // query.per_page), MAX_PAGE)
        relaxed = results.relaxed_terms
        results = backend.search(dataclasses.replace(query, page=last))
        results.relaxed_terms = relaxed
    ids = [hit.product_id for hit in results.hits]
    by_id = products_for_listing().in_bulk(ids)
    products = []
    for hit in results.hits:
        product = by_id.get(hit.product_id)
        if product is not None:
            product.search_highlight = hit.highlight
            products.append(product)
    _label_facets(results)
    return results, products


def _search_with_fallbacks(backend, query: SearchQuery) -> tuple[SearchResults, SearchQuery]:
    """Every term exactly; when nothing matches, every term allowing pinyin
    typos; when still nothing, some of the terms (results say which were
    relaxed, for the page's notice), with the query that gave them."""
    results = backend.search(query)
    if results.total or not query.text.strip() or query.match != MATCH_ALL:
        return results, query
    plan = plan_query(query.text)
    if plan.has_typo_candidates:
        typo = dataclasses.replace(query, match=MATCH_TYPO)
        found = backend.search(typo)
        if found.total:
            return found, typo
    if len([t for t in plan.terms if not t.weak]) > 1:
        some = dataclasses.replace(query, match=MATCH_ANY)
        found = backend.search(some)
        if found.total:
            found.relaxed_terms = plan.labels
            return found, some
    return results, query


def product_suggestions(*, prefix: str, limit: int = 8) -> list[str]:
    return get_backend().suggest(prefix, limit=limit)


def _label_facets(results: SearchResults) -> None:
    facets = results.facets
    codes = {o.value for n in ("province", "city", "county") for o in facets.get(n, [])}
    regions = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    category_ids = [int(o.value) for o in facets.get("category", []) if o.value.isdigit()]
    categories = dict(Category.objects.filter(pk__in=category_ids).values_list("pk", "name"))
    producer_ids = [int(o.value) for o in facets.get("producer", []) if o.value.isdigit()]
    producers = dict(
        Partner.objects.filter(producer__pk__in=producer_ids).values_list("producer__pk", "name")
    )
    kinds = dict(Certificate.Kind.choices)
    fixed = {
        "key_county": {"true": _("重点帮扶县"), "false": _("其他县")},
        "availability": {"in_stock": _("有货"), "out_of_stock": _("暂时缺货")},
        "price": {key: _price_label(low, high) for key, low, high in PRICE_RANGES},
    }
    for name, options in facets.items():
        for option in options:
            if name in ("province", "city", "county"):
                option.label = regions.get(option.value, option.value)
            elif name == "category":
                option.label = categories.get(int(option.value), option.value)
            elif name == "producer":
                option.label = producers.get(int(option.value), option.value)
            elif name == "certificate":
                option.label = str(kinds.get(option.value, option.value))
            else:
                option.label = str(fixed[name].get(option.value, option.value))
        if name == "price":
            order = [key for key, *_rest in PRICE_RANGES]
            options.sort(key=lambda o: order.index(o.value) if o.value in order else 99)
        elif name not in ("key_county", "availability"):
            options.sort(key=lambda o: (-o.count, o.label))


def _price_label(low, high) -> str:
    if low is None:
        return _("¥%(high)s 以下") % {"high": int(high)}
    if high is None:
        return _("¥%(low)s 以上") % {"low": int(low)}
    return f"¥{int(low)}–{int(high)}"


FACET_LABELS = dict(FACETS)


@dataclasses.dataclass(frozen=True)
class SynonymRow:
    phrase: str
    words: tuple[str, ...]  # what the phrase searches for now
    file_words: tuple[str, ...]  # the maintained list's words for it (empty if none)
    staff: bool  # added or replaced by staff (SearchSynonym)


def synonym_rows(*, contains: str = "") -> list[SynonymRow]:
    """Every English phrase search understands, the maintained list's and
    staff's, with where it comes from; ``contains`` filters on the phrase or
    the Chinese words. One query."""
    staff = {
        phrase: tuple(synonym_words(words))
        for phrase, words in SearchSynonym.objects.values_list("phrase", "words")
    }
    from_file = file_synonyms()
    rows = [
        SynonymRow(
            phrase=phrase,
            words=staff.get(phrase) or from_file.get(phrase, ()),
            file_words=from_file.get(phrase, ()),
            staff=phrase in staff,
        )
        for phrase in sorted(set(from_file) | set(staff))
    ]
    needle = contains.strip().lower()
    if needle:
        rows = [r for r in rows if needle in r.phrase or any(needle in w for w in r.words)]
    return rows
