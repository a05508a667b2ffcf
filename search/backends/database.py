"""Search on the database (PostgreSQL or SQLite) over ProductSearchEntry rows.

The query is read by search.querying (every term must match, hanzi match
hanzi, pinyin only from Latin input); each term is matched on the entry's
title, category links, Python-analysed words (place, producer, description)
and pinyin words; ranking is a weighted count of where the terms matched.
"""

import html
import re
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

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
from search.querying import (
    HANZI,
    INITIALS,
    MATCH_ALL,
    MATCH_ANY,
    PINYIN,
    PINYIN_EXACT,
    RAW,
    Atom,
    QueryPlan,
    plan_query,
)

CategoryLink = ProductSearchEntry.categories.through
Category = get_model("catalogue", "Category")

TERM_MATCHED = 100  # relaxed search: each matched term outweighs any field weights


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


def _word_prefix(field: str, value: str) -> Q:
    """``value`` starts one of the space-separated words of ``field``."""
    return Q(**{f"{field}__startswith": value}) | Q(**{f"{field}__contains": " " + value})


def _whole_word(field: str, values: tuple[str, ...]) -> Q:
    alternatives = "|".join(re.escape(v) for v in values)
    return Q(**{f"{field}__regex": rf"(^| )({alternatives})( |$)"})


def _atom_clauses(atom: Atom, categories: dict[int, str]) -> list[tuple[Q, int]]:
    """(condition, weight) pairs; the atom matches when any condition holds."""
    clauses = []
    for value in atom.values:
        if atom.kind == HANZI:
            clauses.append((Q(title__icontains=value), 10))
            ids = [pk for pk, name in categories.items() if value in name]
            if ids:
                # What a product is filed under outweighs a word in its title (茶叶蛋).
                links = CategoryLink.objects.filter(category_id__in=ids)
                clauses.append((Q(pk__in=links.values("productsearchentry_id")), 12))
            if len(value) >= 2:
                clauses.append((Q(other_text__icontains=value), 2))
            else:
                clauses.append((_whole_word("other_text", (value,)), 1))
        elif atom.kind == PINYIN:
            clauses += [(_word_prefix("title_pinyin", value), 6)]
            clauses += [(_word_prefix("other_pinyin", value), 2)]
        elif atom.kind == INITIALS:
            clauses += [(_word_prefix("title_initials", value), 12)]
            clauses += [(_word_prefix("other_pinyin", value), 1)]
        elif atom.kind == RAW:
            clauses.append((Q(title__icontains=value), 8))
    if atom.kind == PINYIN_EXACT:  # typo readings: titles only
        clauses += [(_whole_word("title_pinyin", atom.values), 3)]
    return clauses


def _any(clauses) -> Q:
    q = Q(pk__in=[])
    for cond, _weight in clauses:
        q |= cond
    return q


def _text_match(plan: QueryPlan, mode: str) -> tuple[Q, list]:
    """The condition a product must meet and the weights of its relevance."""
    names = (
        dict(Category.objects.values_list("pk", "name"))
        if any(a.kind == HANZI for a in plan.atoms())
        else {}
    )
    term_qs, score = [], []
    for term in plan.terms:
        term_q = Q(pk__in=[])
        for alternative in term.alternatives:
            alt_q = Q()
            for atom in alternative:
                clauses = _atom_clauses(atom, names)
                alt_q &= _any(clauses)
                score += [When(cond, then=Value(weight)) for cond, weight in clauses]
            term_q |= alt_q
        term_qs.append((term, term_q))
    if mode == MATCH_ANY:
        strong = [q for term, q in term_qs if not term.weak]
        match = _any([(q, 0) for q in strong])
        score += [When(q, then=Value(TERM_MATCHED)) for q in strong]
    else:
        match = Q()
        for _term, q in term_qs:
            match &= q
    if plan.phrase:
        score.append(When(Q(title__icontains=plan.phrase), then=Value(20)))
    return match, score


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
        plan = (
            plan_query(query.text, typos=query.match != MATCH_ALL) if query.text.strip() else None
        )
        tokens = bool(plan and plan.terms)
        if plan is not None:
            match, score = _text_match(plan, query.match) if tokens else (Q(pk__in=[]), [])
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
        words = (
            [v for a in plan.atoms() if a.kind in (HANZI, RAW) for v in a.values] if tokens else []
        )
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
