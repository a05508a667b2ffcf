"""Search on the database (PostgreSQL or SQLite) over ProductSearchEntry rows.

Matching is substring-based on the Python-analysed words, pinyin and
initials; ranking is a weighted count of where the terms matched.
"""

import html
import re
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

from search.analysis import has_han, query_terms
from search.backends.base import (
    FACET_NAMES,
    MAX_PAGE,
    PRICE_RANGES,
    SORT_BEST_SELLING,
    SORT_NEWEST,
    SORT_PRICE_ASC,
    SORT_PRICE_DESC,
    FacetOption,
    SearchHit,
    SearchQuery,
    SearchResults,
)
from search.models import ProductSearchCertificateKind, ProductSearchEntry

CategoryLink = ProductSearchEntry.categories.through

# (field, which analysed terms, weight)
_TEXT_FIELDS = [
    ("title", "raw", 10),
    ("title_words", "words", 4),
    ("title_pinyin", "pinyin", 4),
    ("title_initials", "initials", 2),
    ("other_text", "words", 1),
    ("other_pinyin", "pinyin", 1),
]


def _facet_q(name: str, values: tuple[str, ...]) -> Q:
    if name == "category":
        ids = [int(v) for v in values if v.isdigit()]
        return Q(
            pk__in=CategoryLink.objects.filter(category_id__in=ids).values("productsearchentry_id")
        )
    if name in ("province", "city", "county"):
        return Q(**{f"{name}_code__in": values})
    if name == "producer":
        return Q(producer_id__in=[int(v) for v in values if v.isdigit()])
    if name == "certificate":
        return Q(
            pk__in=ProductSearchCertificateKind.objects.filter(kind__in=values).values("entry_id")
        )
    if name == "key_county":
        return Q(is_key_county__in=[v == "true" for v in values if v in ("true", "false")])
    if name == "availability":
        return Q(
            in_stock__in=[v == "in_stock" for v in values if v in ("in_stock", "out_of_stock")]
        )
    if name == "price":
        q = Q(pk__in=[])
        for key, low, high in PRICE_RANGES:
            if key in values:
                q |= _price_q(low, high)
        return q
    raise ValueError(name)


def _price_q(low: Decimal | None, high: Decimal | None) -> Q:
    q = Q(price__isnull=False)
    if low is not None:
        q &= Q(price__gte=low)
    if high is not None:
        q &= Q(price__lt=high)
    return q


def _tokens(text: str) -> dict[str, list[str]]:
    terms = query_terms(text)
    return {
        "raw": [text.strip()],
        "words": terms["words"].split(),
        "pinyin": terms["pinyin"].split(),
        # Initials collide between Chinese words; they serve Latin input only.
        "initials": [] if has_han(text) else terms["initials"].split(),
    }


def highlight(title: str, tokens: list[str]) -> str:
    escaped = html.escape(title)
    needles = sorted({html.escape(t) for t in tokens if t}, key=len, reverse=True)
    if not needles:
        return escaped
    pattern = re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)
    return pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)


class DatabaseBackend:
    def search(self, query: SearchQuery) -> SearchResults:
        base = ProductSearchEntry.objects.all()
        for name, values in query.scope.items():
            base = base.filter(_facet_q(name, values))
        tokens = _tokens(query.text) if query.text.strip() else None
        if tokens:
            match, score = Q(pk__in=[]), []
            for field, kind, weight in _TEXT_FIELDS:
                for token in tokens[kind]:
                    cond = Q(**{f"{field}__icontains": token})
                    match |= cond
                    score.append(When(cond, then=Value(weight)))
            base = base.filter(match)
        active = {n: v for n, v in query.filters.items() if n in FACET_NAMES and v}
        filters = {n: _facet_q(n, v) for n, v in active.items()}

        results = base
        for q in filters.values():
            results = results.filter(q)
        total = results.count()

        if tokens:
            relevance = sum(
                (Case(w, default=Value(0), output_field=IntegerField()) for w in score),
                Value(0),
            )
            results = results.annotate(relevance=relevance)
        ordering = {
            SORT_PRICE_ASC: ["price", "pk"],
            SORT_PRICE_DESC: ["-price", "pk"],
            SORT_NEWEST: ["-date_created", "-pk"],
            SORT_BEST_SELLING: ["-num_sold", "-date_created", "-pk"],
        }.get(
            query.sort, (["-relevance"] if tokens else []) + ["-num_sold", "-date_created", "-pk"]
        )
        page = max(1, min(query.page, MAX_PAGE))
        start = (page - 1) * query.per_page
        rows = results.order_by(*ordering).values_list("pk", "title")[
            start : start + query.per_page
        ]
        words = tokens["words"] + tokens["raw"] if tokens else []
        hits = [SearchHit(product_id=pk, highlight=highlight(title, words)) for pk, title in rows]

        facets = {}
        for name in FACET_NAMES:
            others = base
            for other, q in filters.items():
                if other != name:
                    others = others.filter(q)
            facets[name] = self._facet_counts(name, others, active.get(name, ()))
        return SearchResults(
            hits=hits, total=total, facets=facets, page=page, per_page=query.per_page
        )

    def _facet_counts(self, name, qs, selected) -> list[FacetOption]:
        if name == "category":
            rows = (
                CategoryLink.objects.filter(productsearchentry_id__in=qs.values("pk"))
                .values_list("category_id")
                .annotate(n=Count("productsearchentry_id"))
            )
        elif name == "certificate":
            rows = (
                ProductSearchCertificateKind.objects.filter(entry_id__in=qs.values("pk"))
                .values_list("kind")
                .annotate(n=Count("entry_id"))
            )
        elif name == "price":
            counts = qs.aggregate(
                **{key: Count("pk", filter=_price_q(low, high)) for key, low, high in PRICE_RANGES}
            )
            rows = [(key, counts[key]) for key, _low, _high in PRICE_RANGES if counts[key]]
        else:
            field = {
                "province": "province_code",
                "city": "city_code",
                "county": "county_code",
                "producer": "producer_id",
                "key_county": "is_key_county",
                "availability": "in_stock",
            }[name]
            rows = (
                qs.exclude(**{field: ""} if field == "city_code" else {})
                .values_list(field)
                .annotate(n=Coalesce(Count("pk"), 0))
            )
        options = []
        for value, count in rows:
            if name == "key_county":
                value = "true" if value else "false"
            elif name == "availability":
                value = "in_stock" if value else "out_of_stock"
            value = str(value)
            options.append(FacetOption(value=value, count=count, selected=value in selected))
        return options

    def suggest(self, prefix: str, *, limit: int = 8) -> list[str]:
        prefix = prefix.strip().lower()
        if not prefix:
            return []
        q = Q(title__istartswith=prefix) | Q(title_words__icontains=prefix)
        q |= Q(title_pinyin__istartswith=prefix) | Q(title_pinyin__icontains=" " + prefix)
        q |= Q(title_initials__istartswith=prefix) | Q(title_initials__icontains=" " + prefix)
        titles = (
            ProductSearchEntry.objects.filter(q)
            .order_by("-num_sold", "title")
            .values_list("title", flat=True)
        )
        return list(dict.fromkeys(titles[: limit * 2]))[:limit]
