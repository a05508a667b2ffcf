"""The search interface both backends implement."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext_lazy as _

MAX_PAGE = 100  # deep pagination is bounded: 100 pages of 24 is plenty to browse

SORT_RELEVANCE = "relevance"
SORT_PRICE_ASC = "price-asc"
SORT_PRICE_DESC = "price-desc"
SORT_NEWEST = "newest"
SORT_BEST_SELLING = "best-selling"
SORTS = [
    (SORT_RELEVANCE, _("综合排序")),
    (SORT_BEST_SELLING, _("销量优先")),
    (SORT_NEWEST, _("最新上架")),
    (SORT_PRICE_ASC, _("价格从低到高")),
    (SORT_PRICE_DESC, _("价格从高到低")),
]

# Price buckets: (key, from, to), CNY, upper bound exclusive.
PRICE_RANGES = [
    ("0-50", None, Decimal("50")),
    ("50-100", Decimal("50"), Decimal("100")),
    ("100-200", Decimal("100"), Decimal("200")),
    ("200-", Decimal("200"), None),
]

FACETS = [
    ("category", _("分类")),
    ("province", _("省份")),
    ("city", _("城市")),
    ("county", _("县（区）")),
    ("producer", _("生产主体")),
    ("certificate", _("认定类别")),
    ("key_county", _("重点帮扶县")),
    ("price", _("价格")),
    ("availability", _("库存")),
]
FACET_NAMES = [name for name, _label in FACETS]


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Fixed restrictions of the page itself (a category page), applied before
    # facets are counted and never shown as removable filters.
    scope: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = SORT_RELEVANCE
    page: int = 1
    per_page: int = 24
    # How the text must match (search.querying): every term exactly, every
    # term allowing pinyin typos, or some of the terms (relaxed).
    match: str = "all"


@dataclass
class SearchHit:
    product_id: int
    score: float | None = None
    highlight: str = ""  # the title with matched terms in <mark>, HTML-escaped otherwise


@dataclass
class FacetOption:
    value: str
    count: int
    selected: bool
    label: str = ""


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[FacetOption]]
    page: int
    per_page: int
    # Set when no product matched every term and these terms were relaxed.
    relaxed_terms: list[str] = field(default_factory=list)


class SearchBackend(Protocol):
    def search(self, query: SearchQuery) -> SearchResults: ...

    def suggest(self, prefix: str, *, limit: int = 8) -> list[str]: ...


def price_bucket(price: Decimal | None) -> str | None:
    if price is None:
        return None
    for key, low, high in PRICE_RANGES:
        if (low is None or price >= low) and (high is None or price < high):
            return key
    return None
