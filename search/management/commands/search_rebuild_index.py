import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from search.indexing import search_rebuild_index


class Command(BaseCommand):
    help = "Rebuild the product search index (database entries and, if configured, Elasticsearch)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes that read, analyse and write batches (default: one per CPU)",
        )

    def handle(self, *args, batch_size, workers, **options):
        def progress(done, total):
            width = 30
            filled = width * done // total if total else width
            sys.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            sys.stdout.flush()

        result = search_rebuild_index(batch_size=batch_size, progress=progress, workers=workers)
        self.stdout.write("")
        target = (
            f"Elasticsearch index {result['index']} + database"
            if settings.ELASTICSEARCH_URL
            else "database"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['documents']} documents into {target} in {result['seconds']:.1f} s "
                f"({result['per_second']:.0f} documents/s)"
            )
        )
