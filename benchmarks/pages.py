"""Storefront pages against a bare view: throughput under load, served by one gunicorn.

    source /work/wt/shared-services.env   # or your own services
    DATABASE_URL=$PG_BASE_URL/pages_bench ELASTICSEARCH_URL=$ELASTICSEARCH_URL \\
    REDIS_CACHE_URL=$REDIS_URL_BASE/7 \\
    .venv/bin/python benchmarks/pages.py --products 80 --clients 8 --seconds 10

1. Data: an empty database is migrated and seeded with the demo (80 listings,
   two of them multi-spec); when ``--products`` asks for more, copies of the
   demo's listings (with their producer, origin, category, photos and a stock
   record) are added with bulk inserts until the catalogue holds that many
   products. The rows stay for the next run; the search index is rebuilt each
   run under ``--index-prefix`` and deleted at the end (``--keep-index`` keeps it).
2. One gunicorn (production settings, loopback, ``--workers`` sync workers) per
   search backend and cache mode serves the storefront pages and a bare view
   (benchmarks/bare_urls.py, through the same middleware). ``cached`` is the
   shipped configuration; ``uncached`` sets STOREFRONT_CACHE_SECONDS=0, so every
   block is rendered on every request (what the pages cost before the cache).
3. ``--clients`` client processes request one page as fast as it answers for
   ``--seconds``; the table gives requests per second, median and p95 latency
   and the ratio to the bare view measured by the same server. The target
   (issue 17): every page at >= 10 % of the bare view.

The client processes share the machine with gunicorn, PostgreSQL and
Elasticsearch: compare ratios, not absolute numbers, and note the load
(printed before and after). The database name must contain ``bench``.
"""

import argparse
import http.client
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PYTHON = sys.executable
SEARCH_TEXT = "木耳"
TARGET = 0.10


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=80, help="products in the catalogue")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client processes")
    parser.add_argument("--seconds", type=float, default=10.0, help="load time per page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument(
        "--backends",
        default="elasticsearch,database",
        help="search backends to serve with, comma-separated",
    )
    parser.add_argument(
        "--modes", default="cached,uncached", help="cache modes to serve with, comma-separated"
    )
    parser.add_argument("--index-prefix", default="listing-cache-pages-bench")
    parser.add_argument("--keep-index", action="store_true")
    parser.add_argument(
        "--reuse-index",
        action="store_true",
        help="skip search_rebuild_index: the index a --keep-index run left is current",
    )
    parser.add_argument("--work-dir", default="/tmp/marketplace-pages-bench")
    parser.add_argument("--i-know", action="store_true", help="allow a database without 'bench'")
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(message, flush=True)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


# --- data -------------------------------------------------------------------------


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_data(args, env: dict) -> dict:
    """Seed when empty, top up to --products, index; returns the pages' URLs."""
    import django

    os.environ.update(env)
    django.setup()
    from django.db import connection
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    tables = connection.introspection.table_names()
    if Product._meta.db_table not in tables or not Product.objects.exists():
        log("seeding the demo (migrate, demo_seed)…")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "demo_seed")
    have = Product.objects.count()
    if have < args.products:
        log(f"adding {args.products - have:,} copies of the demo listings…")
        add_copies(args.products - have)
    log(f"catalogue: {Product.objects.count():,} products")
    if not args.reuse_index:
        started = time.perf_counter()
        manage(env, "search_rebuild_index")
        log(f"search_rebuild_index: {time.perf_counter() - started:.1f}s")
    return page_urls()


def add_copies(count: int) -> None:
    """Copies of the live standalone demo listings, round-robin, with bulk inserts."""
    from django.db import transaction
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    ProductImage = get_model("catalogue", "ProductImage")
    ProductCategory = get_model("catalogue", "ProductCategory")
    StockRecord = get_model("partner", "StockRecord")
    sources = list(
        Product.objects.filter(structure=Product.STANDALONE, is_public=True)
        .exclude(slug__startswith="bench-copy-")
        .prefetch_related("stockrecords", "images", "productcategory_set")
        .order_by("pk")
    )
    sources = [s for s in sources if s.is_visible_to_public and s.stockrecords.all()]
    start = Product.objects.filter(slug__startswith="bench-copy-").count()
    batch = 2000
    with transaction.atomic():
        for offset in range(0, count, batch):
            chunk = range(start + offset, start + min(offset + batch, count))
            originals = [sources[i % len(sources)] for i in chunk]
            copies = []
            for i, src in zip(chunk, originals, strict=True):
                copy = Product(
                    **{
                        f.attname: getattr(src, f.attname)
                        for f in Product._meta.concrete_fields
                        if f.attname not in ("id", "upc", "slug", "date_created", "date_updated")
                    }
                )
                copy.title = f"{src.title} · {i + 1}"
                copy.slug = f"bench-copy-{i}"
                copy.upc = f"BENCHCOPY{i:08d}"
                copies.append(copy)
            Product.objects.bulk_create(copies)
            StockRecord.objects.bulk_create(
                StockRecord(
                    product=copy,
                    partner_id=src.stockrecords.all()[0].partner_id,
                    partner_sku=copy.upc,
                    price_currency="CNY",
                    price=src.stockrecords.all()[0].price,
                    num_in_stock=src.stockrecords.all()[0].num_in_stock,
                    num_allocated=0,
                )
                for copy, src in zip(copies, originals, strict=True)
            )
            ProductCategory.objects.bulk_create(
                ProductCategory(product=copy, category_id=link.category_id)
                for copy, src in zip(copies, originals, strict=True)
                for link in src.productcategory_set.all()
            )
            ProductImage.objects.bulk_create(
                ProductImage(
                    product=copy,
                    original=image.original.name,
                    caption=image.caption,
                    display_order=image.display_order,
                )
                for copy, src in zip(copies, originals, strict=True)
                for image in src.images.all()
            )


def page_urls() -> dict:
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")
    product = next(
        p
        for p in Product.objects.filter(structure=Product.STANDALONE, is_public=True)
        .exclude(slug__startswith="bench-copy-")
        .order_by("pk")
        if p.is_visible_to_public
    )
    category = Category.objects.filter(is_public=True, product__isnull=False).order_by("pk").first()
    return {
        "bare": "/pages-bench-bare/",
        "home": "/",
        "category": category.get_absolute_url(),
        "catalogue": "/catalogue/",
        "product": product.get_absolute_url(),
        "search": f"/search/?q={quote(SEARCH_TEXT)}",
    }


# --- serving ----------------------------------------------------------------------


def collect_static(args, env: dict) -> None:
    if (Path(env["DJANGO_STATIC_ROOT"]) / "staticfiles.json").exists():
        return
    log("collectstatic (once, kept in --work-dir)…")
    manage(
        {**env, "DJANGO_SETTINGS_MODULE": "benchmarks.pages_settings"},
        "collectstatic",
        "--noinput",
        "-v0",
    )


def start_server(args, env: dict) -> subprocess.Popen:
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "marketplace.wsgi:application",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(args.port, "/pages-bench-bare/")[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def get(port: int, url: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", url, headers={"Host": "127.0.0.1", "Connection": "close"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _client(port: int, url: str, seconds: float, queue) -> None:
    latencies, errors = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            status, _body = get(port, url)
        except OSError:
            status = 0
        if status == 200:
            latencies.append(time.perf_counter() - started)
        else:
            errors += 1
    queue.put((latencies, errors))


def load(args, url: str) -> dict:
    queue = multiprocessing.Queue()
    clients = [
        multiprocessing.Process(target=_client, args=(args.port, url, args.seconds, queue))
        for _ in range(args.clients)
    ]
    started = time.perf_counter()
    for c in clients:
        c.start()
    latencies, errors = [], 0
    for _ in clients:
        got, failed = queue.get()
        latencies += got
        errors += failed
    for c in clients:
        c.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else float("nan"),
        "errors": errors,
    }


def serve_and_measure(args, env: dict, urls: dict, backend: str, mode: str) -> dict:
    env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "benchmarks.pages_settings",
        "ELASTICSEARCH_URL": env["ELASTICSEARCH_URL"] if backend == "elasticsearch" else "",
        "STOREFRONT_CACHE_SECONDS": "600" if mode == "cached" else "0",
    }
    flush_cache(env["REDIS_CACHE_URL"])
    server = start_server(args, env)
    try:
        for name, url in urls.items():
            for _ in range(3):  # warm: templates, connections, and the cache in "cached"
                status, body = get(args.port, url)
                if status != 200:
                    raise SystemExit(f"{name} {url}: HTTP {status}\n{body[:500]!r}")
        results = {}
        for name, url in urls.items():
            results[name] = load(args, url)
            r = results[name]
            log(
                f"  {backend:13} {mode:8} {name:10} {r['rps']:8.1f} req/s"
                f"  p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  errors {r['errors']}"
            )
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def flush_cache(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def delete_index(env: dict) -> None:
    """This run's indices only: ``<prefix>-products-<stamp>`` (and its alias)
    and ``<prefix>-pages``, not those of a longer prefix sharing its start."""
    from elasticsearch import Elasticsearch

    client = Elasticsearch(env["ELASTICSEARCH_URL"])
    prefix = env["ELASTICSEARCH_INDEX_PREFIX"]
    for pattern in (f"{prefix}-products-*", f"{prefix}-pages"):
        for name in client.indices.get(index=pattern, ignore_unavailable=True):
            client.indices.delete(index=name, ignore_unavailable=True)


# --- report -----------------------------------------------------------------------


def print_table(products: int, measured: dict) -> None:
    log(f"\n== {products:,} products: throughput and ratio to the bare view ==")
    columns = list(measured)
    header = ["page"] + [f"{b}/{m}" for b, m in columns]
    rows = []
    pages = [p for p in next(iter(measured.values())) if p != "bare"]
    rows.append(["bare view"] + [f"{measured[c]['bare']['rps']:.0f} req/s" for c in columns])
    for page in pages:
        cells = []
        for c in columns:
            ratio = measured[c][page]["rps"] / measured[c]["bare"]["rps"]
            mark = "" if ratio >= TARGET or c[1] != "cached" else " (below target)"
            cells.append(f"{measured[c][page]['rps']:.0f} ({ratio:.1%}){mark}")
        rows.append([page] + cells)
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        log("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)))


def main(argv=None) -> None:
    args = parse_args(argv)
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database")
    db_name = urlsplit(database_url).path.lstrip("/")
    if "bench" not in db_name and not args.i_know:
        raise SystemExit(f"refusing database {db_name!r}: its name lacks 'bench' (--i-know)")
    if not os.environ.get("REDIS_CACHE_URL"):
        raise SystemExit("REDIS_CACHE_URL must name the Redis database the cache may flush")
    backends = [b for b in args.backends.split(",") if b]
    if "elasticsearch" in backends and not os.environ.get("ELASTICSEARCH_URL"):
        raise SystemExit("ELASTICSEARCH_URL is needed for the elasticsearch backend")
    work = Path(args.work_dir)
    (work / "media").mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.dev",
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": "pages-benchmark-only",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "text",
        "ELASTICSEARCH_INDEX_PREFIX": args.index_prefix,
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
    }
    log(f"database {db_name}; {os.cpu_count()} CPUs; {args.clients} clients × {args.seconds:g} s")
    log(f"load before: {uptime()}")
    urls = prepare_data(args, env)
    log("pages: " + ", ".join(f"{k} {v}" for k, v in urls.items()))
    collect_static(args, env)
    measured = {}
    try:
        for backend in backends:
            for mode in [m for m in args.modes.split(",") if m]:
                measured[(backend, mode)] = serve_and_measure(args, env, urls, backend, mode)
    finally:
        if "elasticsearch" in backends and not args.keep_index:
            delete_index(env)
    from oscar.core.loading import get_model

    print_table(get_model("catalogue", "Product").objects.count(), measured)
    log(f"load after: {uptime()}")


if __name__ == "__main__":
    main()
