from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from procurement.exceptions import PairingImportRejected, ProcurementError
from procurement.importers import PairingImporter


class Command(BaseCommand):
    help = (
        "Import pairings (结对帮扶关系) from an XLSX or CSV file, one new pairing a row, "
        "on behalf of a staff user. All or nothing: prints every row's problem and exits 1 "
        "when the file is rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="e-mail of a staff user")
        parser.add_argument("file", help="path of the XLSX or CSV file")

    def handle(self, *args, user, file, **options):
        actor = get_user_model().objects.filter(email__iexact=user).first()
        if actor is None:
            raise CommandError(f"no user with e-mail {user}")
        try:
            with open(file, "rb") as handle:
                pairings = PairingImporter(actor=actor).import_file(File(handle, name=file))
        except OSError as exc:
            raise CommandError(str(exc)) from None
        except PairingImportRejected as rejected:
            for error in rejected.errors:
                where = _("第 %(row)d 行") % {"row": error.row} if error.row else _("整个文件")
                column = f" [{error.column}]" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            raise CommandError(str(rejected), returncode=1) from None
        except ProcurementError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(_("已导入 %(count)d 个结对关系。") % {"count": len(pairings)})
        )
