from django.core.management.base import BaseCommand
from django.utils import timezone

from search.indexing import products_reindex_certificate_changes


class Command(BaseCommand):
    help = "Daily: re-index products whose certificates became valid or lapsed today."

    def handle(self, *args, **options):
        count = products_reindex_certificate_changes(day=timezone.localdate())
        self.stdout.write(self.style.SUCCESS(f"{count} products re-indexed"))
