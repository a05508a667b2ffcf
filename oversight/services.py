"""Appointing programme office members (工作专班)."""

from django.db import IntegrityError, transaction

from common.roles import is_platform_staff
from common.users import user_for_email
from oversight.exceptions import OfficeDuplicate, OfficeUserIsStaff
from oversight.models import ProgrammeOffice


def programme_office_appoint(*, actor, email: str, region) -> ProgrammeOffice:
    """Seat the account with ``email`` (created, without a password, if there
    is none: its owner sets one through password reset) in the programme office
    of ``region`` (None: national)."""
    with transaction.atomic():
        user = user_for_email(email)
        if is_platform_staff(user):
            raise OfficeUserIsStaff()
        if ProgrammeOffice.objects.filter(user=user, region=region).exists():
            raise OfficeDuplicate()
        try:
            with transaction.atomic():
                return ProgrammeOffice.objects.create(user=user, region=region, appointed_by=actor)
        except IntegrityError as exc:  # the same appointment made at the same moment
            raise OfficeDuplicate() from exc


def programme_office_remove(*, office: ProgrammeOffice) -> None:
    with transaction.atomic():
        office.delete()
