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
"""

import argparse
import csv
import io
import os
import sys
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


def run(args):
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from openpyxl import Workbook

    from catalogue.importers import COLUMNS, CatalogueExporter, CatalogueImporter
    from tests.factories import CategoryFactory, ProducerFactory, UserFactory

    def file_bytes(rows):
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
        rows = [
            [f"BENCH-{i:05d}", f"柞水黑木耳 {i}", category.full_name, "椴木栽培，自然晾晒。",
             producer.county.code, "250g", "礼盒装", "24个月", "阴凉干燥处",
             Decimal("39.90") + i % 50, 100]
            for i in range(args.rows)
        ]  # fmt: skip
        timed_import("create", producer, user, file_bytes(rows))
        for values in rows:
            values[9] += 1
        timed_import("update prices", producer, user, file_bytes(rows))
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
    run(args)


if __name__ == "__main__":
    main()
