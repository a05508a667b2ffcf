from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from catalogue.exceptions import CatalogueImportRejected, ListingError
from catalogue.import_jobs import catalogue_import_run, catalogue_import_submit
from catalogue.importers import RowError
from catalogue.models import CatalogueImportJob

Product = get_model("catalogue", "Product")
# Reached through the relation: catalogue sits below producers in the app graph.
Producer = Product._meta.get_field("producer").related_model

OUTCOME_LABELS = {
    "created": gettext_lazy("新增"),
    "updated": gettext_lazy("更新"),
    "unchanged": gettext_lazy("未变"),
}


class Command(BaseCommand):
    help = (
        "Import a producer's catalogue file (XLSX or CSV, the workspace's format) "
        "on behalf of one of its users, as the workspace's import job but run here. "
        "All or nothing: prints the problem of every row and exits 1 when the file "
        "is rejected, else what each row did."
    )

    def add_arguments(self, parser):
        parser.add_argument("--producer", type=int, required=True, help="the producer's id")
        parser.add_argument(
            "--user", required=True, help="e-mail of a user who manages the producer"
        )
        parser.add_argument(
            "--force-stale",
            action="store_true",
            help=(
                "apply rows exported before their listing's last change too "
                "(the 确认覆盖 box of the import page); without it such rows are refused"
            ),
        )
        parser.add_argument("file", help="path of the XLSX or CSV file")

    def handle(self, *args, producer, user, file, force_stale=False, **options):
        try:
            producer_obj = Producer.objects.get(pk=producer)
        except Producer.DoesNotExist:
            raise CommandError(f"no producer with id {producer}") from None
        actor = get_user_model().objects.filter(email__iexact=user).first()
        if actor is None:
            raise CommandError(f"no user with e-mail {user}")
        # The page's service, run here rather than queued: the same checks,
        # the same one-import-at-a-time rule, the job recorded for the workspace.
        try:
            with open(file, "rb") as handle:
                job = catalogue_import_submit(
                    producer=producer_obj,
                    actor=actor,
                    upload=File(handle, name=file),
                    overwrite_newer=force_stale,
                    queue=False,
                )
        except OSError as exc:
            raise CommandError(str(exc)) from None
        except CatalogueImportRejected as rejected:
            self._rejected(rejected.errors)
        except ListingError as exc:
            raise CommandError(str(exc)) from None
        job = catalogue_import_run(job_id=job.pk)
        if job.status == CatalogueImportJob.Status.REJECTED:
            self._rejected([RowError(*error) for error in job.errors])
        if job.status != CatalogueImportJob.Status.DONE:
            raise CommandError(job.get_failure_display() or job.get_status_display())
        for row, sku, outcome in job.outcomes:
            where = _("第 %(row)d 行") % {"row": row}
            self.stdout.write(f"{where} {sku}: {OUTCOME_LABELS[outcome]}")
        self.stdout.write(
            self.style.SUCCESS(
                _("导入完成：新增 %(created)d 件，更新 %(updated)d 件，未变 %(unchanged)d 件。")
                % {
                    "created": job.created_count,
                    "updated": job.updated_count,
                    "unchanged": job.unchanged_count,
                }
            )
        )

    def _rejected(self, errors):
        for error in errors:
            where = _("第 %(row)d 行") % {"row": error.row} if error.row else _("整个文件")
            column = f" [{error.column}]" if error.column else ""
            self.stderr.write(f"{where}{column}: {error.message}")
        raise CommandError(
            _("文件未导入：发现 %(count)d 处问题。") % {"count": len(errors)}, returncode=1
        ) from None
