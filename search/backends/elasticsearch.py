"""Search on Elasticsearch through elasticsearch-dsl.

Only the core analyzers exist on a stock server: Chinese words, pinyin and
initials arrive pre-analysed from Python (search.analysis) in whitespace
fields; the standard analyzer's per-character tokens on the raw title,
category names and description serve phrase matches of Chinese words. The
query is read by search.querying: every term must match (a bool ``must`` of
one clause per term), hanzi match hanzi, pinyin only from Latin input.
"""

import html

from django.conf import settings
from elasticsearch_dsl import (
    Boolean,
    Completion,
    Date,
    Document,
    Double,
    FacetedSearch,
    Index,
    Integer,
    Keyword,
    Q,
    RangeFacet,
    TermsFacet,
    Text,
    connections,
)

from search.backends.base import (
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
from search.querying import (
    HANZI,
    INITIALS,
    MATCH_ALL,
    MATCH_ANY,
    PINYIN,
    PINYIN_EXACT,
    RAW,
    Atom,
    Term,
    plan_query,
)

CONNECTION_ALIAS = "marketplace"
TERM_MATCHED = 100  # relaxed search: each matched term outweighs the text scores


def _scored(kind: str, boost: float, **field):
    """A clause scoring its boost when it matches: both backends add up the
    same weights, so they rank alike."""
    return Q("constant_score", filter=Q(kind, **field), boost=boost)


def _atom_query(atom: Atom):
    """One atom of a term (search.querying): any of its values in any field."""
    should = []
    for value in atom.values:
        if atom.kind == HANZI:
            should += [
                _scored("match_phrase", 10, title=value),
                # What a product is filed under outweighs a word in its title (茶叶蛋).
                _scored("match_phrase", 12, category_names=value),
            ]
            other = 2 if len(value) >= 2 else 1
            should += [
                _scored("term", other, place_words=value),
                _scored("term", other, producer_words=value),
                _scored("term", other, description_words=value),
            ]
        elif atom.kind == PINYIN:
            should += [
                _scored("prefix", 6, title_pinyin=value),
                _scored("prefix", 2, place_pinyin=value),
                _scored("prefix", 2, producer_pinyin=value),
            ]
        elif atom.kind == INITIALS:
            should += [
                _scored("prefix", 12, title_initials=value),
                _scored("prefix", 1, place_initials=value),
                _scored("prefix", 1, producer_initials=value),
            ]
        elif atom.kind == RAW:
            should.append(_scored("match_phrase", 8, title=value))
    if atom.kind == PINYIN_EXACT:
        values = list(atom.values)
        should.append(_scored("terms", 3, title_pinyin=values))  # typo readings: titles only
    return Q("bool", should=should, minimum_should_match=1)


def _term_query(term: Term):
    alternatives = [Q("bool", must=[_atom_query(a) for a in alt]) for alt in term.alternatives]
    return Q("bool", should=alternatives, minimum_should_match=1)


def _title_highlight_query(terms, phrase: str):
    """The clauses of the query that can mark the title, and only those:
    otherwise the highlighter is handed the whole query (every clause of
    every field) for every hit, to keep only the title's. The marks are the
    same (tests/search/test_highlighting.py). None when no clause reads the
    title (pinyin, initials): nothing to mark, no highlighting at all."""
    values = [
        value
        for term in terms
        for alternative in term.alternatives
        for atom in alternative
        if atom.kind in (HANZI, RAW)
        for value in atom.values
    ]
    clauses = [Q("match_phrase", title=value) for value in dict.fromkeys(values)]
    if phrase:
        clauses.append(Q("match_phrase", title=phrase))
    return Q("bool", should=clauses) if clauses else None


def ws_text():
    return Text(analyzer="whitespace")


class ProductDoc(Document):
    product_id = Integer()
    title = Text(analyzer="standard", fields={"exact": Keyword()})
    title_words = ws_text()
    title_pinyin = ws_text()
    title_initials = ws_text()
    description = Text(analyzer="standard")
    description_words = ws_text()
    place_words = ws_text()
    place_pinyin = ws_text()
    place_initials = ws_text()
    producer_name = Text(analyzer="standard")
    producer_words = ws_text()
    producer_pinyin = ws_text()
    producer_initials = ws_text()
    category_ids = Keyword()
    category_names = Text(analyzer="standard")
    province_code = Keyword()
    city_code = Keyword()
    county_code = Keyword()
    producer_id = Keyword()
    certificate_kinds = Keyword()
    is_key_county = Boolean()
    price = Double()
    in_stock = Boolean()
    num_sold = Integer()
    date_created = Date()
    suggest = Completion(analyzer="simple", preserve_separators=False)


def alias_name() -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-products"


def connection():
    try:
        return connections.get_connection(CONNECTION_ALIAS)
    except KeyError:
        return connections.create_connection(
            alias=CONNECTION_ALIAS,
            hosts=[settings.ELASTICSEARCH_URL],
            request_timeout=settings.ELASTICSEARCH_TIMEOUT,
        )


def new_index(name: str) -> Index:
    index = Index(name, using=CONNECTION_ALIAS)
    # Shards and replicas per deployment (ELASTICSEARCH_SHARDS/_REPLICAS): 1/0 on
    # one dev node, 3/1 on the reference three-node cluster (deploy/).
    index.settings(
        number_of_shards=settings.ELASTICSEARCH_SHARDS,
        number_of_replicas=settings.ELASTICSEARCH_REPLICAS,
        max_result_window=MAX_PAGE * 100,
    )
    index.document(ProductDoc)
    return index


def _price_ranges():
    return [
        (key, (float(low) if low is not None else None, float(high) if high is not None else None))
        for key, low, high in PRICE_RANGES
    ]


class ProductFacetedSearch(FacetedSearch):
    using = CONNECTION_ALIAS
    # FacetedSearch highlights only when fields are declared; our query() builds
    # its own clauses, so this names just the highlighted field.
    fields = ("title",)
    facets = {
        "category": TermsFacet(field="category_ids", size=100),
        "province": TermsFacet(field="province_code", size=50),
        "city": TermsFacet(field="city_code", size=100),
        "county": TermsFacet(field="county_code", size=200),
        "producer": TermsFacet(field="producer_id", size=200),
        "certificate": TermsFacet(field="certificate_kinds", size=20),
        "key_county": TermsFacet(field="is_key_county"),
        "price": RangeFacet(field="price", ranges=_price_ranges()),
        "availability": TermsFacet(field="in_stock"),
    }

    def __init__(self, *args, scope=None, match=MATCH_ALL, **kwargs):
        self.index = alias_name()
        self._scope = scope or {}
        self._match = match
        self._highlight_query = None
        super().__init__(*args, **kwargs)

    def search(self):
        # Exact totals: Elasticsearch stops counting at 10,000 by default.
        search = super().search().extra(track_total_hits=True)
        for name, values in self._scope.items():
            facet = self.facets[name]
            search = search.filter(facet.add_filter(list(values)))
        return search

    def query(self, search, query):
        if not query:
            return search
        plan = plan_query(query, typos=self._match != MATCH_ALL)
        if not plan.terms:
            return search.query("match_none")
        term_queries = [(term, _term_query(term)) for term in plan.terms]
        bonus = (
            [Q("match_phrase", title={"query": plan.phrase, "boost": 20})] if plan.phrase else []
        )
        if self._match == MATCH_ANY:
            strong = [term for term in plan.terms if not term.weak]
            self._highlight_query = _title_highlight_query(strong, plan.phrase)
            strong_queries = [q for term, q in term_queries if not term.weak]
            # Products matching more of the terms first.
            should = [Q("constant_score", filter=q, boost=TERM_MATCHED) for q in strong_queries]
            return search.query(
                "bool", should=[*should, *strong_queries, *bonus], minimum_should_match=1
            )
        self._highlight_query = _title_highlight_query(plan.terms, plan.phrase)
        return search.query("bool", must=[q for _term, q in term_queries], should=bonus)

    def highlight(self, search):
        # Only the title, the card's one marked text, whole (no fragments).
        if self._highlight_query is None:
            return search
        return search.highlight(
            "title",
            number_of_fragments=0,
            encoder="html",
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            highlight_query=self._highlight_query.to_dict(),
        )


class ElasticsearchBackend:
    def __init__(self):
        connection()

    def request(self, query: SearchQuery) -> tuple[ProductFacetedSearch, int]:
        """The faceted search this query sends (its body: ``faceted._s.to_dict()``,
        replayed through the raw client by benchmarks/search.py) and its page."""
        sort = {
            SORT_PRICE_ASC: ("price", "product_id"),
            SORT_PRICE_DESC: ("-price", "product_id"),
            SORT_NEWEST: ("-date_created", "-product_id"),
            SORT_BEST_SELLING: ("-num_sold", "-date_created", "-product_id"),
        }.get(
            query.sort,
            ("_score", "-num_sold", "-date_created")
            if query.text.strip()
            else ("-num_sold", "-date_created"),
        )
        filters = {
            k: list(v) for k, v in query.filters.items() if k in ProductFacetedSearch.facets and v
        }
        if "key_county" in filters:
            filters["key_county"] = [v == "true" for v in filters["key_county"]]
        if "availability" in filters:
            filters["availability"] = [v == "in_stock" for v in filters["availability"]]
        if "price" in filters:
            known = {key for key, *_ in PRICE_RANGES}
            filters["price"] = [v for v in filters["price"] if v in known]
        faceted = ProductFacetedSearch(
            query.text.strip(), filters, sort=sort, scope=query.scope, match=query.match
        )
        page = max(1, min(query.page, MAX_PAGE))
        start = (page - 1) * query.per_page
        return faceted[start : start + query.per_page], page

    def search(self, query: SearchQuery) -> SearchResults:
        faceted, page = self.request(query)
        response = faceted.execute()

        hits = []
        for hit in response:
            marked = getattr(getattr(hit.meta, "highlight", None), "title", None)
            hits.append(
                SearchHit(
                    product_id=int(hit.meta.id),
                    score=hit.meta.score,
                    highlight=marked[0] if marked else html.escape(hit.title or ""),
                )
            )
        facets = {}
        for name in ProductFacetedSearch.facets:
            values, options = response.facets[name], []
            for value, count, selected in values:
                if not count:
                    continue
                if name == "key_county":
                    value = "true" if value in (True, 1, "true") else "false"
                elif name == "availability":
                    value = "in_stock" if value in (True, 1, "true") else "out_of_stock"
                options.append(FacetOption(value=str(value), count=count, selected=bool(selected)))
            facets[name] = options
        return SearchResults(
            hits=hits,
            total=response.hits.total.value,
            facets=facets,
            page=page,
            per_page=query.per_page,
        )

    def suggest(self, prefix: str, *, limit: int = 8) -> list[str]:
        prefix = prefix.strip().lower()
        if not prefix:
            return []
        search = ProductDoc.search(using=CONNECTION_ALIAS, index=alias_name()).source(["title"])
        # Not skip_duplicates: it merges products that share a word into one option.
        search = search.suggest(
            "titles", prefix, completion={"field": "suggest", "size": limit * 4}
        )
        response = search.execute()
        options = response.suggest.titles[0].options if response.suggest.titles else []
        return list(dict.fromkeys(o._source.title for o in options))[:limit]
