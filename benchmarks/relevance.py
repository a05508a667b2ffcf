"""Relevance measure: nDCG@10 and zero-result rate per backend and per half of
the graded judgments (benchmarks/relevance_judgments.toml) over the search
test corpus (tests/search/corpus).

    DJANGO_SETTINGS_MODULE=marketplace.settings.dev \
    DATABASE_URL=postgres://postgres@127.0.0.1:54329/marketplace_bench \
    ELASTICSEARCH_URL=http://127.0.0.1:59200 \
    .venv/bin/python benchmarks/relevance.py

The corpus is created inside one transaction that is rolled back at the end, so
the database is left as it was (it must hold no products: the measure needs the
corpus alone). Queries go through ``search.selectors.product_search``, as the
search page sends them (relaxation included), first on the database backend,
then on Elasticsearch when ELASTICSEARCH_URL is set (an index under the prefix
``relevance-<pid>``, deleted at the end).

nDCG@10 uses gains 2^grade - 1. A query with no graded product scores 1 when it
returns nothing and 0 otherwise. The zero-result rate counts the queries that
have a graded product yet return nothing.
"""

import argparse
import math
import os
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

JUDGMENTS = Path(__file__).with_name("relevance_judgments.toml")
HALVES = ("tuning", "heldout")
K = 10


def load_judgments(path: Path = JUDGMENTS) -> list[dict]:
    with path.open("rb") as file:
        queries = tomllib.load(file)["query"]
    for q in queries:
        assert q["half"] in HALVES, q
    return queries


def _holds(condition: dict, item, category_ids: dict[str, str]) -> bool:
    if any(part not in item.title for part in condition.get("t", [])):
        return False
    if "p" in condition and not item.county.startswith(condition["p"]):
        return False
    if "c" in condition and category_ids[condition["c"]] not in item.category_ids:
        return False
    return True


def grades(judgment: dict, items, category_ids: dict[str, str]) -> dict[int, int]:
    """Each corpus item's grade for this query (only the non-zero ones)."""
    out = {}
    for item in items:
        for grade in (3, 2, 1):
            if any(_holds(c, item, category_ids) for c in judgment.get(str(grade), [])):
                out[item.pk] = grade
                break
    return out


def ndcg(ranked: list[int], graded: dict[int, int], k: int = K) -> float:
    if not graded:
        return 0.0 if ranked else 1.0
    dcg = sum((2 ** graded.get(pk, 0) - 1) / math.log2(i + 2) for i, pk in enumerate(ranked[:k]))
    ideal = sorted(graded.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg


def measure(corpus, judgments=None) -> dict:
    """Per half: mean nDCG@10, zero-result rate and per-query rows, searching
    with the backend the settings select."""
    from search.backends.base import SearchQuery
    from search.selectors import product_search

    judgments = judgments if judgments is not None else load_judgments()
    category_ids = {key: str(c.pk) for key, c in corpus.categories.items()}
    halves = {h: {"rows": []} for h in HALVES}
    for judgment in judgments:
        graded = grades(judgment, corpus.items, category_ids)
        results, _products = product_search(query=SearchQuery(text=judgment["q"], per_page=K))
        ranked = [hit.product_id for hit in results.hits]
        halves[judgment["half"]]["rows"].append(
            {
                "q": judgment["q"],
                "ndcg": ndcg(ranked, graded),
                "total": results.total,
                "zero": bool(graded) and not ranked,
                "graded": len(graded),
            }
        )
    for half in halves.values():
        rows = half["rows"]
        half["ndcg"] = sum(r["ndcg"] for r in rows) / len(rows)
        answerable = [r for r in rows if r["graded"]]
        half["zero_rate"] = sum(r["zero"] for r in answerable) / len(answerable)
        half["queries"] = len(rows)
    return halves


def print_figures(backend: str, halves: dict, verbose: bool = False) -> None:
    for name in HALVES:
        h = halves[name]
        print(
            f"{backend:<14} {name:<8} queries {h['queries']:>3}  "
            f"nDCG@10 {h['ndcg']:.3f}  zero-result {h['zero_rate']:.1%}"
        )
        if verbose:
            for r in sorted(h["rows"], key=lambda r: r["ndcg"]):
                print(f"    {r['ndcg']:.3f}  total {r['total']:>4}  {r['q']}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="per-query nDCG, worst first")
    parser.add_argument("--i-know", action="store_true", help="skip the database name check")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import override_settings
    from oscar.core.loading import get_model

    name = connection.settings_dict["NAME"]
    if not args.i_know and "bench" not in str(name) and "relevance" not in str(name):
        sys.exit(f"refusing database {name!r}: its name must contain 'bench' (or --i-know)")
    if get_model("catalogue", "Product").objects.exists():
        sys.exit("the database already has products; the measure needs the corpus alone")

    from tests.search.corpus import corpus_load

    es_url = settings.ELASTICSEARCH_URL
    prefix = f"relevance-{os.getpid()}"
    with transaction.atomic():
        with override_settings(ELASTICSEARCH_URL="", ELASTICSEARCH_INDEX_PREFIX=prefix):
            corpus = corpus_load()
            print_figures("database", measure(corpus), args.verbose)
        if es_url:
            from elasticsearch_dsl import connections

            from search.backends.elasticsearch import CONNECTION_ALIAS
            from search.backends.elasticsearch import connection as es
            from search.indexing import search_rebuild_index

            with override_settings(
                ELASTICSEARCH_URL=es_url,
                ELASTICSEARCH_INDEX_PREFIX=prefix,
                ELASTICSEARCH_REFRESH_ON_WRITE="wait_for",
            ):
                try:
                    search_rebuild_index()
                    print_figures("elasticsearch", measure(corpus), args.verbose)
                finally:
                    es().indices.delete(index=f"{prefix}-*", ignore_unavailable=True)
                    connections.remove_connection(CONNECTION_ALIAS)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
