"""Catalogue import benchmark: where the time of a bulk import goes.

    DJANGO_SETTINGS_MODULE=marketplace.settings.dev \
    DATABASE_URL=postgres://postgres@127.0.0.1:54329/marketplace_bench \
    .venv/bin/python benchmarks/catalogue_import.py --rows 1000

Imports ``--rows`` new products from one file, then the same file with every
price changed, then the unchanged export of the result, and prints for each
pass the wall time, the time per row and the queries per row, with the tables
that took the most queries. Everything runs in one transaction that is rolled
back at the end, so the database is left as it was (and nothing is indexed:
search indexing runs on commit).

``--task`` instead imports ``--rows`` new products the way the workspace does:
the upload request's part (``catalogue_import_submit``: shape check, private
file, job) and then the job through the task ``catalogue.run_import``, on a
Celery worker started in this process (solo pool) when ``REDIS_URL`` is set,
eagerly otherwise. A second connection watches the job row as the job page's
status view does and prints when checking and applying were seen to start and
end, and how many distinct progress values it saw. This mode commits (the
worker and the watcher must see the job): use a throwaway database.
"""

import argparse
import csv
import io
import os
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument(
        "--task", action="store_true", help="run one import as the workspace's background job"
    )
    parser.add_argument(
        "--i-know", action="store_true", help="use a database whose name lacks 'bench'"
    )
    return parser.parse_args(argv)


@contextmanager
def counted_queries():
    """Counts statements by the table they name first (FROM/INTO/UPDATE)."""
    import re

    from django.db import connection

    tables = Counter()

    def wrapper(execute, sql, params, many, context):
        match = re.search(r'(?:FROM|INTO|UPDATE)\s+"(\w+)"', sql)
        tables[match.group(1) if match else sql.split(" ", 1)[0]] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield tables


def report(label, rows, seconds, tables):
    total = sum(tables.values())
    print(
        f"{label:<28} {seconds:7.2f}s  {1000 * seconds / rows:6.1f} ms/row  "
        f"{total / rows:5.1f} queries/row"
    )
    top = ", ".join(f"{name} {count / rows:.1f}" for name, count in tables.most_common(6))
    print(f"{'':<28} per row: {top}")


def file_bytes(args, rows):
    from openpyxl import Workbook

    from catalogue.importers import COLUMNS

    if args.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([c.header for c in COLUMNS])
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8-sig")
    workbook = Workbook()
    workbook.active.append([c.header for c in COLUMNS])
    for values in rows:
        workbook.active.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bench_rows(producer, category, count, prefix="BENCH"):
    from decimal import Decimal

    return [
        [f"{prefix}-{i:05d}", f"柞水黑木耳 {i}", category.full_name, "椴木栽培，自然晾晒。",
         producer.county.code, "250g", "礼盒装", "24个月", "阴凉干燥处",
         Decimal("39.90") + i % 50, 100]
        for i in range(count)
    ]  # fmt: skip


class JobWatcher(threading.Thread):
    """Reads the job row every ``interval`` seconds on a connection of its
    own, as the job page's status view does, and notes when each status was
    first seen and every distinct (checked, applied) pair."""

    def __init__(self, job_id, interval=0.1):
        super().__init__(daemon=True)
        self.job_id = job_id
        self.interval = interval
        self.first_seen = {}
        self.samples = []
        self.stop = threading.Event()

    def run(self):
        from django.db import connection

        from catalogue.models import CatalogueImportJob

        try:
            while not self.stop.is_set():
                status, checked, applied = CatalogueImportJob.objects.values_list(
                    "status", "rows_checked", "rows_applied"
                ).get(pk=self.job_id)
                now = time.perf_counter()
                self.first_seen.setdefault(status, now)
                if not self.samples or self.samples[-1][1:] != (checked, applied):
                    self.samples.append((now, checked, applied))
                if status not in CatalogueImportJob.ACTIVE:
                    return
                time.sleep(self.interval)
        finally:
            connection.close()


def run_task(args):
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from catalogue.import_jobs import catalogue_import_submit
    from catalogue.models import CatalogueImportJob
    from catalogue.tasks import catalogue_run_import
    from marketplace.celery import app
    from tests.factories import CategoryFactory, ProducerFactory, UserFactory

    producer = ProducerFactory()
    user = UserFactory()
    producer.partner.users.add(user)
    category = CategoryFactory(name=f"基准测试 {producer.pk}").add_child(name="木耳")
    content = file_bytes(args, bench_rows(producer, category, args.rows))
    print(f"file: {len(content) / 1024:.0f} KiB")

    started = time.perf_counter()
    with transaction.atomic():
        job = catalogue_import_submit(
            producer=producer,
            actor=user,
            upload=SimpleUploadedFile(f"bench.{args.format}", content),
            queue=False,
        )
    print(f"{'upload request (shape, file, job)':<36} {time.perf_counter() - started:7.2f}s")

    watcher = JobWatcher(job.pk)
    watcher.start()
    queued = time.perf_counter()
    if settings.CELERY_TASK_ALWAYS_EAGER:
        print("queue: eager (REDIS_URL not set): the job runs in this process")
        catalogue_run_import.delay(job.pk)
    else:
        from celery.contrib.testing.worker import start_worker

        print(f"queue: {settings.CELERY_BROKER_URL} with a solo worker in this process")
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            catalogue_run_import.delay(job.pk).get(timeout=3600)
    watcher.join(timeout=60)
    watcher.stop.set()
    job = CatalogueImportJob.objects.get(pk=job.pk)
    seen = watcher.first_seen
    applying = seen.get(CatalogueImportJob.Status.APPLYING)
    finished = seen.get(job.status, time.perf_counter())
    checking = seen.get(CatalogueImportJob.Status.CHECKING, queued)
    print(f"status: {job.status} ({job.created_count} created, {job.rows_applied} applied)")
    if applying:
        print(f"{'queued -> checking seen':<36} {checking - queued:7.2f}s")
        print(
            f"{'checking (parse, lookups, rows)':<36} {applying - checking:7.2f}s  "
            f"{1000 * (applying - checking) / args.rows:6.1f} ms/row"
        )
        print(f"{'applying (one transaction)':<36} {finished - applying:7.2f}s  "
              f"{1000 * (finished - applying) / args.rows:6.1f} ms/row")  # fmt: skip
    print(f"{'queued -> done':<36} {finished - queued:7.2f}s")
    applied_values = {applied for _t, _c, applied in watcher.samples if 0 < applied < args.rows}
    checked_values = {checked for _t, checked, _a in watcher.samples if 0 < checked < args.rows}
    print(
        f"progress seen while running: {len(checked_values)} distinct checked counts, "
        f"{len(applied_values)} distinct applied counts"
    )


def run(args):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from catalogue.importers import CatalogueExporter, CatalogueImporter
    from tests.factories import CategoryFactory, ProducerFactory, UserFactory

    def timed_import(label, producer, user, content):
        upload = SimpleUploadedFile(f"bench.{args.format}", content)
        with counted_queries() as tables:
            started = time.perf_counter()
            result = CatalogueImporter(producer=producer, actor=user).import_file(upload)
            elapsed = time.perf_counter() - started
        report(f"{label} ({result.created}+{result.updated}+{result.unchanged})", args.rows,
               elapsed, tables)  # fmt: skip

    with transaction.atomic():
        producer = ProducerFactory()
        user = UserFactory()
        producer.partner.users.add(user)
        category = CategoryFactory(name="干货").add_child(name="基准测试木耳")
        rows = bench_rows(producer, category, args.rows)
        timed_import("create", producer, user, file_bytes(args, rows))
        for values in rows:
            values[9] += 1
        timed_import("update prices", producer, user, file_bytes(args, rows))
        started = time.perf_counter()
        exported = CatalogueExporter(producer=producer).export(args.format).content
        print(f"{'export':<28} {time.perf_counter() - started:7.2f}s")
        timed_import("re-import unchanged export", producer, user, exported)
        transaction.set_rollback(True)


def main(argv=None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.dev")
    import django

    django.setup()
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql":
        sys.exit("needs PostgreSQL (set DATABASE_URL)")
    if "bench" not in name and not args.i_know:
        sys.exit(f"refusing database {name!r} (its name lacks 'bench'); pass --i-know")
    print(f"{args.rows} rows, {args.format}, database {name}, load {os.getloadavg()[0]:.2f}")
    if args.task:
        run_task(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
