"""Buyer organisations: applications, review, direct creation, and members."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.validators import normalise_uscc, validate_single_line, validate_uscc
from procurement.exceptions import (
    MembershipRoleExists,
    OrganisationAlreadyDecided,
    OrganisationNameInvalid,
    OrganisationUsccInvalid,
    OrganisationUsccTaken,
    UnionOfNotUnion,
)
from procurement.lock_objects import procurement_row_lock
from procurement.models import (
    USCC_HOLDING_STATUSES,
    BuyerOrganisation,
    Membership,
)
from procurement.services._common import (
    Role,
    _notify,
    _require_role,
    _require_staff,
)
from regions.models import Region


def _organisation_details_check(*, kind: str, uscc: str, region: Region, union_of) -> str:
    uscc = normalise_uscc(uscc)
    try:
        validate_uscc(uscc)
    except ValidationError as exc:
        raise OrganisationUsccInvalid(exc.messages[0]) from exc
    if BuyerOrganisation.objects.filter(uscc=uscc, status__in=USCC_HOLDING_STATUSES).exists():
        raise OrganisationUsccTaken()
    if union_of is not None and kind != BuyerOrganisation.Kind.UNION:
        raise UnionOfNotUnion()
    return uscc


@transaction.atomic
def buyer_organisation_apply(
    *,
    applicant,
    kind: str,
    name: str,
    uscc: str,
    region: Region,
    parent: BuyerOrganisation | None = None,
    union_of: BuyerOrganisation | None = None,
) -> BuyerOrganisation:
    """An application to join; the applicant becomes its admin once staff approve it."""
    try:
        validate_single_line(name)
    except ValidationError:
        raise OrganisationNameInvalid() from None
    uscc = _organisation_details_check(kind=kind, uscc=uscc, region=region, union_of=union_of)
    try:
        with transaction.atomic():
            organisation = BuyerOrganisation.objects.create(
                kind=kind,
                name=name,
                uscc=uscc,
                region=region,
                parent=parent,
                union_of=union_of,
                applicant=applicant,
                status=BuyerOrganisation.Status.PENDING,
            )
    except IntegrityError:
        # Two applications for one code at the same moment: the constraint decides.
        raise OrganisationUsccTaken() from None
    Membership.objects.create(organisation=organisation, user=applicant, role=Role.ADMIN)
    return organisation


@transaction.atomic
def buyer_organisation_review(
    *, organisation: BuyerOrganisation, actor, approve: bool
) -> BuyerOrganisation:
    _require_staff(actor)
    organisation = procurement_row_lock(organisation)
    if organisation.status != BuyerOrganisation.Status.PENDING:
        raise OrganisationAlreadyDecided()
    organisation.status = (
        BuyerOrganisation.Status.ACTIVE if approve else BuyerOrganisation.Status.REJECTED
    )
    organisation.save(update_fields=["status", "updated_at"])
    return organisation


@transaction.atomic
def buyer_organisation_create(
    *,
    actor,
    kind: str,
    name: str,
    uscc: str,
    region: Region,
    parent: BuyerOrganisation | None = None,
    union_of: BuyerOrganisation | None = None,
    is_sample: bool = False,
) -> BuyerOrganisation:
    """Programme staff create an active unit directly."""
    _require_staff(actor)
    uscc = _organisation_details_check(kind=kind, uscc=uscc, region=region, union_of=union_of)
    return BuyerOrganisation.objects.create(
        kind=kind,
        name=name,
        uscc=uscc,
        region=region,
        parent=parent,
        union_of=union_of,
        status=BuyerOrganisation.Status.ACTIVE,
        is_sample=is_sample,
    )


@transaction.atomic
def membership_invite(
    *, organisation: BuyerOrganisation, actor, email: str, role: str
) -> Membership:
    """A unit admin adds someone by email; a new address gets an account to claim
    through password reset."""
    if not actor.is_staff:
        _require_role(user=actor, organisation=organisation, roles=[Role.ADMIN])
    User = get_user_model()
    email = User.objects.normalize_email(email.strip())
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        user = User(username=email[:150], email=email)
        user.set_unusable_password()
        user.save()
    membership, created = Membership.objects.get_or_create(
        organisation=organisation, user=user, role=role
    )
    if not created:
        raise MembershipRoleExists()
    _notify(
        users=[user],
        subject=_("您已被加入采购单位“%(name)s”") % {"name": organisation.name},
        body=_(
            "您已被加入“%(name)s”，角色：%(role)s。请用本邮箱登录消费帮扶商城；"
            "如尚未设置密码，请在登录页使用“忘记密码”设置。"
        )
        % {"name": organisation.name, "role": membership.get_role_display()},
    )
    return membership
