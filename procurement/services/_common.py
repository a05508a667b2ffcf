"""Helpers every procurement service shares: role and staff checks, and mail
sent once the transaction commits (row locks are in procurement/lock_objects.py)."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from common.sites import site_url
from procurement.exceptions import (
    ContractProducerOnly,
    OrganisationNotActive,
    ProcurementPermissionDenied,
    ProcurementStaffOnly,
)
from procurement.models import (
    BuyerOrganisation,
    Contract,
    Membership,
)
from procurement.selectors import membership_roles
from producers.selectors import producer_is_managed_by

Role = Membership.Role


def _notify(*, users, subject: str, body: str, link: str) -> None:
    """Email the users once the transaction commits (never for a rolled-back
    change), with a link to the page where they act on it (``link``, a path)."""
    body = f"{body}\n\n" + _("查看详情：%(url)s") % {"url": site_url(link)}
    recipients = sorted({user.email for user in users if user.email})
    if recipients:
        transaction.on_commit(
            lambda: send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True
            )
        )


def _members_with_role(organisation: BuyerOrganisation, role: str):
    return [m.user for m in organisation.memberships.filter(role=role).select_related("user")]


def _require_role(*, user, organisation: BuyerOrganisation, roles: Iterable[str]) -> None:
    if organisation.status != BuyerOrganisation.Status.ACTIVE:
        raise OrganisationNotActive()
    if not membership_roles(user=user, organisation=organisation) & set(roles):
        raise ProcurementPermissionDenied()


def _require_producer(*, user, contract: Contract) -> None:
    if not producer_is_managed_by(producer=contract.producer, user=user):
        raise ContractProducerOnly()


def _require_staff(user) -> None:
    if not (user.is_authenticated and user.is_staff):
        raise ProcurementStaffOnly()
