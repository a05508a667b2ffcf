from django.core.management.base import BaseCommand
from django.utils import timezone

from catalogue.cache import catalogue_version_bump
from search.indexing import products_reindex_certificate_changes


class Command(BaseCommand):
    help = "Daily: re-index products whose certificates became valid or lapsed today."

    def handle(self, *args, **options):
        count = products_reindex_certificate_changes(day=timezone.localdate())
        catalogue_version_bump()  # listings' certificate filter and product pages follow
        self.stdout.write(self.style.SUCCESS(f"{count} products re-indexed"))
