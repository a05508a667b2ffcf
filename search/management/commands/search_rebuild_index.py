import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from search.indexing import search_rebuild_index


class Command(BaseCommand):
    help = (
        "Rebuild the product search index: Elasticsearch when configured, then the "
        "database entries search falls back on (or only those)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes that read, analyse and write batches (default: one per CPU)",
        )

    def handle(self, *args, batch_size, workers, **options):
        def bar(label):
            def progress(done, total):
                width = 30
                filled = width * done // total if total else width
                sys.stdout.write(
                    f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
                )
                sys.stdout.flush()

            return progress

        elasticsearch = bool(settings.ELASTICSEARCH_URL)
        result = search_rebuild_index(
            batch_size=batch_size,
            progress=bar("Elasticsearch" if elasticsearch else "database"),
            fallback_progress=bar("database fallback"),
            workers=workers,
        )
        self.stdout.write("")
        n = result["documents"]
        if elasticsearch:
            message = (
                f"{n} documents into Elasticsearch index {result['index']} in "
                f"{result['index_seconds']:.1f} s ({n / result['index_seconds']:.0f} documents/s), "
                f"then the database fallback in {result['entries_seconds']:.1f} s"
            )
        else:
            message = (
                f"{n} documents into the database in {result['seconds']:.1f} s "
                f"({result['per_second']:.0f} documents/s)"
            )
        self.stdout.write(self.style.SUCCESS(message))
