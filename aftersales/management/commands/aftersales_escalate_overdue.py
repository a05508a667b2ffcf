from django.core.management.base import BaseCommand

from aftersales.services import cases_escalate_overdue


class Command(BaseCommand):
    help = "Hand after-sales requests their producer left unanswered past the deadline to staff."

    def handle(self, *args, **options):
        escalated = cases_escalate_overdue()
        self.stdout.write(f"{len(escalated)} case(s) escalated")
