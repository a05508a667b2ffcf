"""Outbox benchmark: the time to drain N index outbox rows (search.outbox)
against a plain ``elasticsearch.helpers.bulk`` of the same documents.

    DJANGO_SETTINGS_MODULE=marketplace.settings.dev \
    DATABASE_URL=postgres://postgres@127.0.0.1:54329/marketplace_bench \
    ELASTICSEARCH_URL=http://127.0.0.1:59600 \
    .venv/bin/python benchmarks/outbox.py --products 1000

Generates the products like benchmarks/search.py (bulk_create, no signal),
builds the index once, then times, each ``--repeat`` times (median shown):

- bulk: ``helpers.bulk`` of documents built beforehand (Elasticsearch only);
- build + bulk: ``build_documents`` and the same bulk (what any re-index does);
- drain: ``outbox_apply()`` over one outbox row per product (claim with SKIP
  LOCKED, product locks, documents, database entries, bulk, row deletes);
- drain, 5 rows each: the same products with five rows each (de-duplication).

Figures are ratios against the plain bulk on the same machine. Indices get the
prefix ``bench-<pid>`` and are deleted at the end; the products stay.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--producers", type=int, default=50)
    parser.add_argument("--reuse-data", action="store_true")
    parser.add_argument("--i-know", action="store_true")
    parser.add_argument("--queries", type=int, default=0)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.dev")
    import django

    django.setup()
    import logging

    from django.conf import settings
    from django.test.utils import override_settings

    from benchmarks.search import (
        check_targets,
        cleanup_indices,
        existing_products,
        generate,
        log,
        print_table,
        warm_up_indexing,
    )

    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    prefix = f"bench-{os.getpid()}"
    override = override_settings(
        DEBUG=False,
        ELASTICSEARCH_INDEX_PREFIX=prefix,
        ELASTICSEARCH_REFRESH_ON_WRITE=False,
        ELASTICSEARCH_TIMEOUT=max(60, settings.ELASTICSEARCH_TIMEOUT),
    )
    override.enable()
    db_name = check_targets(args)

    from elasticsearch.helpers import bulk

    from search.backends.elasticsearch import alias_name, connection
    from search.documents import build_documents, searchable_products
    from search.indexing import es_actions, search_rebuild_index
    from search.models import IndexOutbox
    from search.outbox import outbox_apply

    client = connection()
    log(f"database {db_name}; Elasticsearch {settings.ELASTICSEARCH_URL}; {os.cpu_count()} CPUs")
    if existing_products() and not args.reuse_data:
        sys.exit("refusing: the database already has products; pass --reuse-data")
    if not existing_products():
        generate(args)
    try:
        warm_up_indexing(client, prefix)
        search_rebuild_index()
        IndexOutbox.objects.all().delete()
        ids = list(searchable_products().order_by("pk").values_list("pk", flat=True))
        ids = ids[: args.products]
        prebuilt = build_documents(ids)
        times = {"bulk": [], "build + bulk": [], "drain": [], "drain, 5 rows each": []}

        def timed(label, fn):
            started = time.perf_counter()
            fn()
            times[label].append(time.perf_counter() - started)

        def queue(copies):
            IndexOutbox.objects.bulk_create(
                [IndexOutbox(object_id=i) for i in ids for _ in range(copies)], batch_size=5000
            )

        for _ in range(args.repeat):
            timed("bulk", lambda: bulk(client, es_actions(prebuilt, alias_name()), chunk_size=500))
            timed(
                "build + bulk",
                lambda: bulk(
                    client, es_actions(build_documents(ids), alias_name()), chunk_size=500
                ),
            )
            queue(1)
            timed("drain", outbox_apply)
            assert not IndexOutbox.objects.exists()
            queue(5)
            timed("drain, 5 rows each", outbox_apply)
            assert not IndexOutbox.objects.exists()

        base = statistics.median(times["bulk"])
        log(f"\n== {len(ids):,} products, median of {args.repeat} ==")
        print_table(
            ["write", "seconds", "documents/s", "× plain bulk"],
            [
                [label, f"{m:.2f}", f"{len(ids) / m:,.0f}", f"{m / base:.1f}"]
                for label, m in ((k, statistics.median(v)) for k, v in times.items())
            ],
        )
    finally:
        cleanup_indices(client, prefix)
        override.disable()


if __name__ == "__main__":
    main()
