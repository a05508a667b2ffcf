from django.core.management.base import BaseCommand

from cms.services import index_pages_ensure, producer_pages_ensure_all


class Command(BaseCommand):
    help = (
        "Create the story, county and news index pages and, for producers approved "
        "before story pages existed, their story page (draft) and county page. Safe to repeat."
    )

    def handle(self, *args, **options):
        if index_pages_ensure() is None:
            self.stderr.write("No home page: run migrate first.")
            return
        count = producer_pages_ensure_all()
        self.stdout.write(f"Pages ensured for {count} producer(s).")
