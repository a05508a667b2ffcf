"""Load benchmark: the storefront under gunicorn at 1, 2 and 4 workers, each
page's cost as a ratio to a bare Django view on the same server.

    source /work/wt/shared-services.env   # or any PostgreSQL, Redis, Elasticsearch
    .venv/bin/python benchmarks/load.py \\
        --database-url "$PG_BASE_URL/marketplace_load_bench" \\
        --redis-url "$REDIS_URL_BASE/5" --elasticsearch-url "$ELASTICSEARCH_URL" \\
        --workers 1,2,4 --visits 60 --seconds 60

Production settings (DEBUG off, JSON logs quietened to warnings, whitenoise's
manifest storage after a real collectstatic, Redis cache and cached sessions,
Elasticsearch search), on loopback only, plain HTTP (no TLS proxy: the
HTTPS redirect is off, the client returns the Secure cookies). The database
must have ``bench`` in its name (it is created if missing; migrated, the
regions and demo data seeded once, the search index rebuilt under
``deploy-load-bench-*`` and deleted at the end). Media and collected static
files live in ``--workdir``.

For each worker count: gunicorn starts (``--bind 127.0.0.1:<port>``, sync
workers as in deploy/systemd), every page is fetched a few times to warm the
caches, then locust (benchmarks/load_locustfile.py) runs ``2 x workers``
shoppers with no think time until ``--visits`` visits or ``--seconds`` pass.
A visit is home, category, product, search, basket add, checkout start and
the bare view (marketplace/bench_urls.py, mounted only by BENCH_BARE_VIEW=1).
Printed per page: requests, errors, requests/s, p50/p95/p99 (ms), and p50 and
mean as multiples of the bare view's.
"""

import argparse
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PAGES = ["home", "category", "product", "search", "basket add", "checkout start", "bare view"]
INDEX_PREFIX = "deploy-load-bench"
QUERIES = ["木耳", "茶叶", "陕西", "muer", "蜂蜜", "香菇", "紫阳 茶叶", "apple"]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""))
    parser.add_argument("--elasticsearch-url", default=os.environ.get("ELASTICSEARCH_URL", ""))
    parser.add_argument(
        "--workers", default="1,2,4", help="gunicorn worker counts, comma-separated"
    )
    parser.add_argument("--users-per-worker", type=int, default=2)
    parser.add_argument("--visits", type=int, default=60, help="visits per worker count (bound)")
    parser.add_argument("--seconds", type=int, default=60, help="time per worker count (bound)")
    parser.add_argument("--port", type=int, default=0, help="0: a free loopback port")
    parser.add_argument("--workdir", default="", help="media and static; default /tmp/<db>")
    parser.add_argument("--reseed", action="store_true", help="run demo_seed even if seeded")
    parser.add_argument(
        "--collectstatic", action="store_true", help="collect static files even if collected"
    )
    args = parser.parse_args(argv)
    for name in ("database_url", "redis_url", "elasticsearch_url"):
        if not getattr(args, name):
            parser.error(f"--{name.replace('_', '-')} (or its environment variable) is required")
    return args


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    name = database_name(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def server_env(args, workdir: Path) -> dict:
    env = dict(os.environ)
    for key in list(env):
        # Settings of the shell the benchmark runs in must not leak into the server.
        if key.startswith(("DJANGO_", "S3_", "STRIPE_", "CELERY_")):
            del env[key]
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "marketplace.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "False",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": args.database_url,
            "REDIS_URL": args.redis_url,
            "REDIS_CACHE_URL": args.redis_url,
            "ELASTICSEARCH_URL": args.elasticsearch_url,
            "ELASTICSEARCH_INDEX_PREFIX": INDEX_PREFIX,
            "DJANGO_STATIC_ROOT": str(workdir / "static"),
            "DJANGO_MEDIA_ROOT": str(workdir / "media"),
            "DJANGO_PRIVATE_MEDIA_ROOT": str(workdir / "private_media"),
            "BENCH_BARE_VIEW": "1",
        }
    )
    return env


def manage(env: dict, *command: str, **extra) -> None:
    started = time.perf_counter()
    subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env={**env, **extra}, check=True)
    print(f"  manage.py {' '.join(command)}: {time.perf_counter() - started:.0f} s")


def prepare(args, env: dict) -> None:
    print("preparing the bench database, static files and search index")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "compilemessages", "--ignore=.venv", "-v", "0")
    # Compressing every static file takes minutes on a busy machine: once per
    # workdir (--collectstatic again after changing static files).
    if args.collectstatic or not (Path(env["DJANGO_STATIC_ROOT"]) / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput", "-v", "0")
    seeded = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c",
         "from catalogue.models import Product; print(Product.objects.exists())"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip().endswith("True")  # fmt: skip
    if args.reseed or not seeded:
        manage(env, "regions_load")
        # Seeding's tasks (thumbnails, e-mails, indexing) run in-process: no worker here.
        manage(env, "demo_seed", CELERY_TASK_ALWAYS_EAGER="True")
    manage(env, "search_rebuild_index", CELERY_TASK_ALWAYS_EAGER="True")


TARGETS_SCRIPT = """
import json
from django.urls import reverse
from catalogue.models import Category, Product
products = []
for product in (
    Product.objects.browsable().filter(structure="standalone")
    .order_by("pk").prefetch_related("stockrecords")[:200]
):
    record = product.stockrecords.first()
    if record is None or (record.num_in_stock or 0) < 1000:
        continue
    products.append({"url": product.get_absolute_url(),
                     "add_url": reverse("basket:add", kwargs={"pk": product.pk})})
categories = [c.get_absolute_url() for c in Category.objects.filter(is_public=True)[:20]]
print("TARGETS=" + json.dumps({"products": products, "categories": categories}))
"""


def targets(env: dict, path: Path) -> dict:
    """The products (in stock for thousands of visits), categories and queries."""
    with_stock = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c",
         "from partner.models import StockRecord; "
         "StockRecord.objects.filter(num_in_stock__lt=100000).update(num_in_stock=100000)"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    del with_stock
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", TARGETS_SCRIPT],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    found = json.loads(out.rsplit("TARGETS=", 1)[1])
    if not found["products"] or not found["categories"]:
        sys.exit("the bench database has no browsable products or categories")
    found["queries"] = QUERIES
    found["bare"] = "/__bench__/bare/"
    path.write_text(json.dumps(found, ensure_ascii=False))
    return found


def wait_ready(base: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn exited before it answered")
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    sys.exit(f"gunicorn did not answer /readyz within {timeout:.0f} s")


def warm(base: str, found: dict, rounds: int) -> None:
    urls = [
        "/",
        found["bare"],
        *found["categories"][:5],
        *[p["url"] for p in found["products"][:5]],
    ]
    urls += [f"/search/?q={urllib.request.quote(q)}" for q in found["queries"]]
    for _ in range(rounds):
        for url in urls:
            try:
                urllib.request.urlopen(base + url, timeout=60).read()
            except urllib.error.HTTPError:
                pass


def run_locust(args, base: str, workers: int, targets_path: Path, csv_prefix: Path) -> float:
    users = workers * args.users_per_worker
    started = time.perf_counter()
    subprocess.run(
        [
            str(BIN / "locust"), "-f", str(ROOT / "benchmarks" / "load_locustfile.py"),
            "--headless", "--only-summary", "--loglevel", "WARNING",
            "-u", str(users), "-r", str(users), "-t", f"{args.seconds}s",
            "--stop-timeout", "10", "--host", base, "--csv", str(csv_prefix),
        ],
        cwd=ROOT,
        env={**os.environ, "LOAD_TARGETS": str(targets_path), "LOAD_MAX_VISITS": str(args.visits)},
        check=False,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - started


def read_stats(csv_prefix: Path) -> dict:
    with open(f"{csv_prefix}_stats.csv", encoding="utf-8") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def report(workers: int, users: int, stats: dict) -> list[str]:
    bare = stats.get("bare view")
    bare_p50 = float(bare["50%"]) if bare else 0.0
    bare_mean = float(bare["Average Response Time"]) if bare else 0.0
    lines = []
    for page in PAGES:
        row = stats.get(page)
        if row is None:
            lines.append(f"| {workers} | {users} | {page} | 0 | – | – | – | – | – | – | – |")
            continue
        p50, mean = float(row["50%"]), float(row["Average Response Time"])
        lines.append(
            f"| {workers} | {users} | {page} | {row['Request Count']} | {row['Failure Count']} "
            f"| {float(row['Requests/s']):.2f} | {row['50%']} | {row['95%']} | {row['99%']} "
            f"| {p50 / bare_p50 if bare_p50 else 0:.1f} | {mean / bare_mean if bare_mean else 0:.1f} |"
        )
    total = stats.get("Aggregated")
    if total:
        lines.append(
            f"| {workers} | {users} | **all** | {total['Request Count']} | {total['Failure Count']} "
            f"| {float(total['Requests/s']):.2f} | {total['50%']} | {total['95%']} "
            f"| {total['99%']} | | |"
        )
    return lines


def delete_indices(url: str) -> None:
    from elasticsearch import Elasticsearch

    client = Elasticsearch(url, request_timeout=30)
    try:
        client.indices.delete(index=f"{INDEX_PREFIX}-*", ignore_unavailable=True)
    finally:
        client.close()


def main(argv=None) -> None:
    args = parse_args(argv)
    name = database_name(args.database_url)
    if "bench" not in name:
        sys.exit(f"refusing database {name!r}: its name must contain 'bench' (it is seeded)")
    for url in (args.database_url, args.redis_url, args.elasticsearch_url):
        host = urlsplit(url).hostname
        if host not in ("127.0.0.1", "localhost", "::1"):
            sys.exit(f"refusing {url!r}: loopback only")
    workdir = Path(args.workdir or f"/tmp/marketplace-load-{name}")
    workdir.mkdir(parents=True, exist_ok=True)
    ensure_database(args.database_url)
    env = server_env(args, workdir)
    prepare(args, env)
    targets_path = workdir / "targets.json"
    found = targets(env, targets_path)
    print(
        f"{len(found['products'])} products, {len(found['categories'])} categories, "
        f"{len(found['queries'])} queries; load: {os.getloadavg()}"
    )
    table = [
        "| gunicorn workers | shoppers | page | requests | errors | req/s | p50 ms | p95 ms "
        "| p99 ms | p50 × bare | mean × bare |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    try:
        for workers in [int(w) for w in args.workers.split(",")]:
            port = args.port or free_port()
            base = f"http://127.0.0.1:{port}"
            gunicorn = subprocess.Popen(
                [
                    str(BIN / "gunicorn"), "marketplace.wsgi:application",
                    "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                    "--timeout", "60", "--log-level", "warning",
                ],
                cwd=ROOT, env=env,
            )  # fmt: skip
            try:
                wait_ready(base, gunicorn)
                warm(base, found, rounds=workers * 2)
                load_before = os.getloadavg()[0]
                seconds = run_locust(args, base, workers, targets_path, workdir / f"w{workers}")
                stats = read_stats(workdir / f"w{workers}")
                print(
                    f"{workers} worker(s): {seconds:.0f} s, load average "
                    f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
                )
                table += report(workers, workers * args.users_per_worker, stats)
            finally:
                gunicorn.send_signal(signal.SIGTERM)
                gunicorn.wait(timeout=60)
    finally:
        delete_indices(args.elasticsearch_url)
    print()
    print("\n".join(table))


if __name__ == "__main__":
    main()
