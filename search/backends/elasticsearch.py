"""Search on Elasticsearch through elasticsearch-dsl.

Only the core analyzers exist on a stock server: Chinese words, pinyin and
initials arrive pre-analysed from Python (search.analysis) in whitespace
fields; the standard analyzer's per-character tokens on the raw title and
description give recall for unusual words and one-character typos.
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

from search.analysis import has_han, query_terms
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

CONNECTION_ALIAS = "marketplace"


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
    index.settings(number_of_shards=1, number_of_replicas=0, max_result_window=MAX_PAGE * 100)
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

    def __init__(self, *args, scope=None, **kwargs):
        self.index = alias_name()
        self._scope = scope or {}
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
        terms = query_terms(query)
        chinese = has_han(query)
        # Per-character matches must cover the whole query: with two-character
        # place names, half a name (陕 of 陕西) would otherwise match anything.
        every_char = "100%" if chinese else "75%"
        should = [
            Q("match_phrase", title={"query": query, "boost": 12}),
            Q("match", title={"query": query, "minimum_should_match": every_char, "boost": 2}),
            Q(
                "match",
                description={"query": query, "minimum_should_match": every_char, "boost": 0.5},
            ),
            # 茶 of 紫阳茶 is often said only by the category (紫阳毛尖 in 茶叶):
            # a category match counts when title and category names together
            # hold every character, so 香菇 does not find 木耳 merely because
            # both are 菌菇, and 茶叶蛋 gains nothing from its title alone.
            Q(
                "bool",
                filter=[
                    Q(
                        "combined_fields",
                        query=query,
                        fields=["title", "category_names"],
                        operator="and",
                    )
                ],
                must=[Q("match", category_names={"query": query})],
                boost=6,
            ),
        ]
        if terms["words"]:
            should += [
                Q("match", title_words={"query": terms["words"], "operator": "and", "boost": 6}),
                Q("match", title_words={"query": terms["words"], "boost": 3}),
                Q("match", place_words={"query": terms["words"], "boost": 3}),
                Q("match", producer_words={"query": terms["words"], "boost": 2}),
                # A producer's full name typed in: its products come first.
                Q(
                    "match",
                    producer_words={"query": terms["words"], "operator": "and", "boost": 10},
                ),
                Q("match", description_words={"query": terms["words"], "boost": 1}),
            ]
        if terms["pinyin"]:
            should += [
                Q("match", title_pinyin={"query": terms["pinyin"], "boost": 5}),
                Q(
                    "match",
                    title_pinyin={
                        "query": terms["pinyin"],
                        "fuzziness": "AUTO",
                        "prefix_length": 1,
                        "boost": 1,
                    },
                ),
                Q("match", place_pinyin={"query": terms["pinyin"], "boost": 2}),
                Q("match", producer_pinyin={"query": terms["pinyin"], "boost": 1}),
            ]
            for token in terms["pinyin"].split()[:3]:
                should.append(Q("prefix", title_pinyin={"value": token, "boost": 1.5}))
        # Initials collide too easily between Chinese words (洛南/陇南 are both
        # "ln"); they serve Latin input only.
        if terms["initials"] and not chinese:
            should += [
                Q("match", title_initials={"query": terms["initials"], "boost": 3}),
                Q("match", place_initials={"query": terms["initials"], "boost": 1}),
            ]
        return search.query("bool", should=should, minimum_should_match=1)

    def highlight(self, search):
        return search.highlight(
            "title",
            number_of_fragments=0,
            encoder="html",
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
        )


class ElasticsearchBackend:
    def __init__(self):
        connection()

    def search(self, query: SearchQuery) -> SearchResults:
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
        faceted = ProductFacetedSearch(query.text.strip(), filters, sort=sort, scope=query.scope)
        page = max(1, min(query.page, MAX_PAGE))
        start = (page - 1) * query.per_page
        response = faceted[start : start + query.per_page].execute()

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
