"""Search on the database (PostgreSQL or SQLite) over ProductSearchEntry rows.

The query is read by search.querying (every term must match, hanzi match
hanzi, pinyin only from Latin input). Each atom of the plan becomes an
alternation of text-search clauses over the tokens search.fulltext lays out
(a tsquery on PostgreSQL's GIN-indexed ``search_vector``, an FTS5 query on
SQLite), and the terms are ANDed, so the index finds the matching products.
Relevance adds up the weights of the clauses that match, as the Elasticsearch
backend does; on PostgreSQL ts_rank breaks ties. The total and every
facet's counts come from one query.
"""

import html
import re
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from search import fulltext
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
from search.querying import HANZI, MATCH_ALL, MATCH_ANY, RAW, QueryPlan, plan_query

CategoryLink = ProductSearchEntry.categories.through

INT_MAX = 2**31 - 1  # an id beyond the integer column matches nothing (not an error)
TERM_MATCHED = 100  # relaxed search: each matched term outweighs any field weights


def _facet_q(name: str, values: tuple[str, ...], vendor: str) -> Q:
    # PostgreSQL: the entry's own GIN-indexed arrays; SQLite: the link tables.
    arrays = vendor == "postgresql"
    if name == "category":
        ids = [int(v) for v in values if v.isdigit() and int(v) <= INT_MAX]
        if arrays:
            return Q(facet_category_ids__overlap=ids)
        return Q(
            pk__in=CategoryLink.objects.filter(category_id__in=ids).values("productsearchentry_id")
        )
    if name in ("province", "city", "county"):
        return Q(**{f"{name}_code__in": values})
    if name == "producer":
        return Q(producer_id__in=[int(v) for v in values if v.isdigit()])
    if name == "certificate":
        if arrays:
            return Q(facet_certificate_kinds__overlap=list(values))
        return Q(
            pk__in=ProductSearchCertificateKind.objects.filter(kind__in=values).values("entry_id")
        )
    if name in _BOOLEAN_FACETS:
        field, yes, no = _BOOLEAN_FACETS[name]
        return Q(**{f"{field}__in": [v == yes for v in values if v in (yes, no)]})
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


def _matches(query_text: str, vendor: str) -> Q:
    """Entries whose text matches: a tsquery (PostgreSQL, GIN index) or an
    FTS5 query (SQLite)."""
    if vendor == "postgresql":
        return Q(search_vector__matches=query_text)
    return Q(
        pk__in=RawSQL(
            f"SELECT rowid FROM {fulltext.FTS_TABLE} WHERE {fulltext.FTS_TABLE} MATCH %s",
            [query_text],
        )
    )


def _text(clause: fulltext.Clause, vendor: str) -> str:
    return clause.tsquery if vendor == "postgresql" else clause.fts


class _TextMatch:
    """A query plan read into the database's text search: the condition a
    product must meet, the weights of its relevance (the Elasticsearch
    backend's, clause for clause) and one query of every matching clause, for
    ts_rank."""

    def __init__(self, plan: QueryPlan, mode: str, vendor: str):
        fts = vendor != "postgresql"
        # (text query, weight) per clause: relevance adds up the weights of
        # those that match.
        self.weighted: list[tuple[str, int]] = []
        self.rank_query = ""
        term_queries = []  # (term, query text or "" when it cannot match)
        every_clause = []
        for term in plan.terms:
            alternatives = []
            for alternative in term.alternatives:
                atoms = []
                for atom in alternative:
                    clauses = fulltext.atom_clauses(atom)
                    texts = [_text(c, vendor) for c in clauses]
                    every_clause += texts
                    self.weighted += [(t, c.weight) for t, c in zip(texts, clauses, strict=True)]
                    atoms.append(fulltext.any_of(texts, fts=fts))
                if all(atoms):
                    alternatives.append(fulltext.all_of(atoms, fts=fts))
            term_queries.append((term, fulltext.any_of(alternatives, fts=fts)))
        if mode == MATCH_ANY:
            strong = [q for term, q in term_queries if not term.weak and q]
            self.condition = (
                _matches(fulltext.any_of(strong, fts=fts), vendor) if strong else Q(pk__in=[])
            )
            self.weighted += [(q, TERM_MATCHED) for q in strong]
        elif all(q for _term, q in term_queries):
            self.condition = _matches(
                fulltext.all_of([q for _term, q in term_queries], fts=fts), vendor
            )
        else:
            self.condition = Q(pk__in=[])
        bonus = fulltext.title_phrase(plan.phrase) if plan.phrase else None
        if bonus:
            self.weighted.append((_text(bonus, vendor), bonus.weight))
        if not fts and every_clause:
            self.rank_query = fulltext.any_of(every_clause, fts=False)
        self.vendor = vendor

    def relevance(self):
        return sum(
            (
                Case(
                    When(_matches(t, self.vendor), then=Value(w)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
                for t, w in self.weighted
            ),
            Value(0),
        )

    def relevance_sql(self, vector: str) -> tuple[str, list]:
        """PostgreSQL: relevance over ``vector`` (a column of tsvector), as
        SQL with its parameters."""
        if not self.weighted:
            return "0", []
        sql = " + ".join(
            f"CASE WHEN {vector} @@ %s::tsquery THEN {int(w)} ELSE 0 END" for _t, w in self.weighted
        )
        return sql, [t for t, _w in self.weighted]


_FACET_COLUMNS = {
    "province": "province_code",
    "city": "city_code",
    "county": "county_code",
    "producer": "producer_id",
}
# The two-valued facets: the column, and the option values for true and false.
_BOOLEAN_FACETS = {
    "key_county": ("is_key_county", "true", "false"),
    "availability": ("in_stock", "in_stock", "out_of_stock"),
}


def _boolean_label(name: str) -> Case:
    field, yes, no = _BOOLEAN_FACETS[name]
    return Case(When(**{field: True}, then=Value(yes)), default=Value(no), output_field=CharField())


def _price_bucket() -> Case:
    return Case(
        *(When(_price_q(low, high), then=Value(key)) for key, low, high in PRICE_RANGES),
        default=Value(None),
        output_field=CharField(),
    )


def _price_band() -> Case:
    """The price bucket's place in PRICE_RANGES (PostgreSQL's facets group by it)."""
    return Case(
        *(
            When(_price_q(low, high), then=Value(i))
            for i, (_k, low, high) in enumerate(PRICE_RANGES)
        ),
        default=Value(None),
        output_field=IntegerField(),
    )


def _label_sql(name: str, key: str) -> str:
    """PostgreSQL: the option value of a raw value grouped on (_grouping_sets_sql)."""
    if name in _BOOLEAN_FACETS:
        _field, yes, no = _BOOLEAN_FACETS[name]
        return f"CASE WHEN {key} THEN '{yes}' ELSE '{no}' END"
    if name == "price":
        whens = " ".join(f"WHEN {i} THEN '{k}'" for i, (k, _l, _h) in enumerate(PRICE_RANGES))
        return f"CASE {key} {whens} END"
    return f"CAST({key} AS TEXT)"


def _total_and_facets(base, filters: dict[str, Q], active, vendor: str) -> tuple[int, dict]:
    """The total and every facet's counts in one query. Each facet counts the
    products that pass every other facet's filter (not its own, so its other
    options keep their counts); the total passes them all. The matching
    entries carry a flag per active filter; PostgreSQL groups them in one pass
    (GROUPING SETS), SQLite once per facet (a CTE and UNION ALL branches)."""
    # Case/When, not a bare Q: a filter that can match nothing (no valid value)
    # or everything compiles to a real boolean either way.
    flags = {
        f"f_{n}": Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())
        for n, q in filters.items()
    }
    arrays = vendor == "postgresql"
    columns = {
        "v_pk": F("pk"),
        **{f"v_{n}": F(field) for n, field in _FACET_COLUMNS.items()},
        **flags,
    }
    if arrays:
        # Raw values: PostgreSQL groups the entries by them, and a boolean or
        # a small number hashes and compares faster than a label (browsing
        # 100,000 entries: 330 -> 190 ms); the kinds are labelled afterwards.
        columns |= {f"v_{n}": F(field) for n, (field, _y, _n) in _BOOLEAN_FACETS.items()}
        columns["v_price"] = _price_band()
        columns["v_category"] = F("facet_category_ids")
        columns["v_certificate"] = F("facet_certificate_kinds")
    else:
        columns |= {f"v_{n}": _boolean_label(n) for n in _BOOLEAN_FACETS}
        columns["v_price"] = _price_bucket()
    rows = base.annotate(**columns).values(*columns)
    try:
        base_sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # the text or scope can match nothing at all
        return 0, {name: [] for name in FACET_NAMES}

    if arrays:
        sql = _grouping_sets_sql(base_sql, list(filters))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            result = _grouping_sets_rows(cursor.fetchall())
    else:
        sql = _union_all_sql(base_sql, list(filters))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            result = cursor.fetchall()
    total, facets = 0, {name: [] for name in FACET_NAMES}
    for name, value, count in result:
        if name == "total":
            total = count
        elif count:
            facets[name].append(
                FacetOption(value=value, count=count, selected=value in active.get(name, ()))
            )
    return total, facets


def _blank(name: str, value: str) -> str:
    """A municipality's districts have no city; no prices, no price option."""
    if name == "city":
        return f"{value} IS NOT NULL AND {value} <> ''"
    if name == "price":
        return f"{value} IS NOT NULL"
    return ""


def _union_all_sql(base_sql: str, filtered: list[str]) -> str:
    """SQLite: the matching entries once (a CTE), one UNION ALL branch per
    facet grouping them; the many-valued facets join the link tables."""

    def passing(*, but: str | None = None) -> list[str]:
        return [f"base.f_{n}" for n in filtered if n != but]

    def where(conditions: list[str]) -> str:
        return ("WHERE " + " AND ".join(conditions)) if conditions else ""

    link = CategoryLink._meta.db_table
    kinds = ProductSearchCertificateKind._meta.db_table
    branches = [f"SELECT 'total', '', COUNT(*) FROM base {where(passing())}"]
    for name in FACET_NAMES:
        if name == "category":
            source, value = (
                f"base JOIN {link} l ON l.productsearchentry_id = base.v_pk",
                "l.category_id",
            )
        elif name == "certificate":
            source, value = f"base JOIN {kinds} k ON k.entry_id = base.v_pk", "k.kind"
        else:
            source, value = "base", f"base.v_{name}"
        conditions = [c for c in [*passing(but=name), _blank(name, value)] if c]
        branches.append(
            f"SELECT '{name}', CAST({value} AS TEXT), COUNT(*) FROM {source} "
            f"{where(conditions)} GROUP BY {value}"
        )
    return f"WITH base AS ({base_sql}) " + " UNION ALL ".join(branches)


_ARRAY_FACETS = ("category", "certificate")


def _grouping_sets_sql(base_sql: str, filtered: list[str]) -> str:
    """PostgreSQL: the matching entries first grouped by everything the facets
    read (their values and the filters' flags: a few thousand kinds of entry
    at 100,000 products, counted in one hash pass), then each kind joined to
    its category ids and certificate kinds side by side (ROWS FROM zips the
    two arrays, so a kind gives max(len) rows, and one row of NULLs when both
    are empty); GROUPING SETS group that once per facet, and every facet adds
    up its entries with its own FILTER: the rows that pass the other facets'
    filters, each kind once (its first row) for the single-valued facets and
    the total, each array value once for the other two. Every aggregate runs
    for every grouping set, so grouping the kinds, not the entries, is what
    keeps a broad match cheap. Row order: the grouping mask, the keys in
    FACET_NAMES order, the total's count, then one count per facet in the
    same order."""

    def key(name: str) -> str:
        return f"u.{name}" if name in _ARRAY_FACETS else f"base.v_{name}"

    def passing(*, but: str | None = None) -> list[str]:
        return [f"base.f_{n}" for n in filtered if n != but]

    first = "(u.n IS NULL OR u.n = 1)"
    counts = [f"SUM(base.entries) FILTER (WHERE {' AND '.join([first, *passing()])})"]
    for name in FACET_NAMES:
        row = f"u.{name} IS NOT NULL" if name in _ARRAY_FACETS else first
        conditions = [c for c in [row, _blank(name, key(name)), *passing(but=name)] if c]
        counts.append(f"SUM(base.entries) FILTER (WHERE {' AND '.join(conditions)})")
    keys = [key(n) for n in FACET_NAMES]
    # The arrays last: two kinds mostly differ before them, so comparing two
    # kinds rarely reaches the arrays.
    kinds = ", ".join(
        [
            *(f"v_{n}" for n in FACET_NAMES if n not in _ARRAY_FACETS),
            *(f"f_{n}" for n in filtered),
            *(f"v_{n}" for n in _ARRAY_FACETS),
        ]
    )
    return (
        f"SELECT GROUPING({', '.join(keys)}), "
        + ", ".join(_label_sql(n, key(n)) for n in FACET_NAMES)
        + ", "
        + ", ".join(f"CAST(COALESCE({c}, 0) AS bigint)" for c in counts)
        + f" FROM (SELECT {kinds}, COUNT(*) AS entries FROM ({base_sql}) matching "
        f"GROUP BY {kinds}) base LEFT JOIN LATERAL ROWS FROM "
        "(unnest(base.v_category), unnest(base.v_certificate)) "
        "WITH ORDINALITY AS u(category, certificate, n) ON TRUE "
        f"GROUP BY GROUPING SETS ((), {', '.join(f'({k})' for k in keys)})"
    )


def _grouping_sets_rows(rows) -> list[tuple[str, str, int]]:
    """_grouping_sets_sql's rows as (facet or 'total', value, count)."""
    n = len(FACET_NAMES)
    every = (1 << n) - 1  # GROUPING(): a bit set for each key not grouped on
    out = []
    for mask, *rest in rows:
        values, counts = rest[:n], rest[n:]
        if mask == every:
            out.append(("total", "", counts[0]))
            continue
        i = n - (every ^ mask).bit_length()  # key i is bit n - 1 - i
        out.append((FACET_NAMES[i], values[i], counts[1 + i]))
    return out


# The explicit sorts; any other sort is by relevance.
_ORDERINGS = {
    SORT_PRICE_ASC: ["price", "pk"],
    SORT_PRICE_DESC: ["-price", "pk"],
    SORT_NEWEST: ["-date_created", "-pk"],
    SORT_BEST_SELLING: ["-num_sold", "-date_created", "-pk"],
}


def _ranked_page(results, text: _TextMatch, start: int, per_page: int) -> list[tuple[int, str]]:
    """PostgreSQL, by relevance: the weights of the clauses that match, then
    ts_rank (among equal weights it prefers more and weightier occurrences;
    ts_rank_cd, cover density, cost twice as much over broad matches), then
    best-selling and newest. Every clause reads the entry's text vector in
    place: entry rows keep it inline (search migration 0010), so reading it is
    no fetch and no copy (copying each vector out once cost more than all the
    clauses: 陕西, 20,140 matches, 216 -> 116 ms)."""
    matching = results.annotate(
        e_pk=F("pk"),
        e_vector=F("search_vector"),
    ).values("e_pk", "title", "num_sold", "date_created", "e_vector")
    try:
        matching_sql, params = matching.query.sql_with_params()
    except EmptyResultSet:  # a filter with no valid value
        return []
    relevance, relevance_params = text.relevance_sql("m.e_vector")
    sql = (
        f"SELECT m.e_pk, m.title FROM ({matching_sql} OFFSET 0) m "
        f"ORDER BY {relevance} DESC, ts_rank(m.e_vector, %s::tsquery) DESC, "
        "m.num_sold DESC, m.date_created DESC, m.e_pk DESC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *relevance_params, text.rank_query, per_page, start])
        return cursor.fetchall()


def highlight(title: str, tokens: list[str]) -> str:
    escaped = html.escape(title)
    needles = sorted({html.escape(t) for t in tokens if t}, key=len, reverse=True)
    if not needles:
        return escaped
    pattern = re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)
    return pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)


def _clean(filters: dict) -> dict:
    """Filter values as a URL brought them, less what no column can hold (a NUL
    character): a hostile value matches nothing instead of failing the query."""
    return {name: tuple(v for v in values if "\x00" not in v) for name, values in filters.items()}


class DatabaseBackend:
    def search(self, query: SearchQuery) -> SearchResults:
        vendor = connection.vendor
        base = ProductSearchEntry.objects.all()
        for name, values in _clean(query.scope).items():
            base = base.filter(_facet_q(name, values, vendor))
        plan = (
            plan_query(query.text, typos=query.match != MATCH_ALL) if query.text.strip() else None
        )
        text = _TextMatch(plan, query.match, vendor) if plan and plan.terms else None
        if plan is not None:
            base = base.filter(text.condition if text else Q(pk__in=[]))
        active = {n: v for n, v in _clean(query.filters).items() if n in FACET_NAMES and v}
        filters = {n: _facet_q(n, v, vendor) for n, v in active.items()}

        total, facets = _total_and_facets(base, filters, active, vendor)
        page = max(1, min(query.page, MAX_PAGE))
        hits = []
        if total:
            hits = self._hits(base, filters, text, plan, query, page)
        return SearchResults(
            hits=hits, total=total, facets=facets, page=page, per_page=query.per_page
        )

    def _hits(self, base, filters, text, plan, query, page) -> list[SearchHit]:
        results = base
        for q in filters.values():
            results = results.filter(q)
        start = (page - 1) * query.per_page
        if text and text.rank_query and query.sort not in _ORDERINGS:
            rows = _ranked_page(results, text, start, query.per_page)
        else:
            rows = self._sorted_page(results, text, query, start)
        words = (
            [v for a in plan.atoms() if a.kind in (HANZI, RAW) for v in a.values] if text else []
        )
        return [SearchHit(product_id=pk, highlight=highlight(title, words)) for pk, title in rows]

    def _sorted_page(self, results, text, query, start):
        relevance = ["-relevance"] if text else []
        if text:
            results = results.annotate(relevance=text.relevance())
        ordering = _ORDERINGS.get(query.sort, [*relevance, "-num_sold", "-date_created", "-pk"])
        return results.order_by(*ordering).values_list("pk", "title")[
            start : start + query.per_page
        ]

    def suggest(self, prefix: str, *, limit: int = 8) -> list[str]:
        prefix = prefix.strip().lower()
        if not prefix:
            return []
        q = Q(title__istartswith=prefix) | Q(title_words__icontains=prefix)
        # Pinyin and initials are lower case: LIKE, which the trigram index serves.
        q |= Q(title_pinyin__startswith=prefix) | Q(title_pinyin__contains=" " + prefix)
        q |= Q(title_initials__startswith=prefix) | Q(title_initials__contains=" " + prefix)
        titles = (
            ProductSearchEntry.objects.filter(q)
            .order_by("-num_sold", "title")
            .values_list("title", flat=True)
        )
        return list(dict.fromkeys(titles[: limit * 2]))[:limit]
