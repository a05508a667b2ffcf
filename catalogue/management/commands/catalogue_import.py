from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from catalogue.exceptions import CatalogueImportRejected, ListingError
from catalogue.importers import CatalogueImporter

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
        "on behalf of one of its users. All or nothing: prints the problem of every "
        "row and exits 1 when the file is rejected, else what each row did."
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
        importer = CatalogueImporter(
            producer=producer_obj, actor=actor, overwrite_newer=force_stale
        )
        try:
            with open(file, "rb") as handle:
                result = importer.import_file(File(handle, name=file))
        except OSError as exc:
            raise CommandError(str(exc)) from None
        except CatalogueImportRejected as rejected:
            for error in rejected.errors:
                where = _("第 %(row)d 行") % {"row": error.row} if error.row else _("整个文件")
                column = f" [{error.column}]" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            raise CommandError(
                _("文件未导入：发现 %(count)d 处问题。") % {"count": len(rejected.errors)},
                returncode=1,
            ) from None
        except ListingError as exc:
            raise CommandError(str(exc)) from None
        for row in result.rows:
            where = _("第 %(row)d 行") % {"row": row.row}
            self.stdout.write(f"{where} {row.sku}: {OUTCOME_LABELS[row.outcome]}")
        self.stdout.write(
            self.style.SUCCESS(
                _("导入完成：新增 %(created)d 件，更新 %(updated)d 件，未变 %(unchanged)d 件。")
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                }
            )
        )
