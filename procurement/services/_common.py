"""Helpers every procurement service shares: role and staff checks, and mail
sent once the transaction commits (row locks are in procurement/lock_objects.py)."""

from collections.abc import Iterable

from common.notifications import notify_by_email
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
    notify_by_email(users=users, subject=subject, body=body, link=link)


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
