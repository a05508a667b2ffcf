"""Buyer organisations: applications, review, direct creation, and members."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.users import user_for_email
from common.validators import normalise_uscc, validate_single_line, validate_uscc
from procurement.exceptions import (
    MembershipRoleExists,
    OrganisationAlreadyDecided,
    OrganisationNameInvalid,
    OrganisationNotWithdrawable,
    OrganisationUsccInvalid,
    OrganisationUsccTaken,
    ProcurementPermissionDenied,
    UnionOfNotUnion,
    UsccContestAlreadyResolved,
    UsccContestDuplicate,
    UsccContestNoteRequired,
    UsccContestNotHeld,
    UsccContestOwnUnit,
)
from procurement.lock_objects import procurement_row_lock
from procurement.models import (
    BuyerOrganisation,
    Membership,
    UsccContest,
)
from procurement.selectors import uscc_holder
from procurement.services._common import (
    Role,
    _notify,
    _require_role,
    _require_staff,
)
from regions.models import Region


def _uscc_checked(uscc: str) -> str:
    uscc = normalise_uscc(uscc)
    try:
        validate_uscc(uscc)
    except ValidationError as exc:
        raise OrganisationUsccInvalid(exc.messages[0]) from exc
    return uscc


def _organisation_details_check(*, kind: str, uscc: str, region: Region, union_of) -> str:
    uscc = _uscc_checked(uscc)
    if uscc_holder(uscc=uscc) is not None:
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
def buyer_organisation_withdraw(*, organisation: BuyerOrganisation, actor) -> BuyerOrganisation:
    """The applicant takes back an application still under review; its code is free again."""
    organisation = procurement_row_lock(organisation)
    if organisation.applicant_id != actor.pk:
        raise ProcurementPermissionDenied()
    if organisation.status != BuyerOrganisation.Status.PENDING:
        raise OrganisationNotWithdrawable()
    organisation.status = BuyerOrganisation.Status.WITHDRAWN
    organisation.save(update_fields=["status", "updated_at"])
    return organisation


@transaction.atomic
def uscc_contest_file(
    *, claimant, uscc: str, claimant_unit_name: str, statement: str
) -> UsccContest:
    """Someone whose unit's credit code is held by a unit they do not belong to
    asks programme staff to check it (代码申诉)."""
    uscc = _uscc_checked(uscc)
    try:
        validate_single_line(claimant_unit_name)
    except ValidationError:
        raise OrganisationNameInvalid() from None
    holder = uscc_holder(uscc=uscc)
    if holder is None:
        raise UsccContestNotHeld()
    if holder.applicant_id == claimant.pk or holder.memberships.filter(user=claimant).exists():
        raise UsccContestOwnUnit()
    try:
        with transaction.atomic():
            contest = UsccContest.objects.create(
                uscc=uscc,
                holder=holder,
                claimant=claimant,
                claimant_unit_name=claimant_unit_name.strip(),
                statement=statement.strip(),
            )
    except IntegrityError:
        raise UsccContestDuplicate() from None
    User = get_user_model()
    _notify(
        users=User.objects.filter(is_staff=True, is_active=True),
        subject=_("信用代码申诉：%(uscc)s") % {"uscc": uscc},
        body=_("“%(claimant)s”申诉统一社会信用代码 %(uscc)s 被“%(holder)s”占用，请核实处理。")
        % {"claimant": contest.claimant_unit_name, "uscc": uscc, "holder": holder.name},
        link=reverse("procurement:review-contests"),
    )
    return contest


@transaction.atomic
def uscc_contest_resolve(*, contest: UsccContest, actor, uphold: bool, note: str) -> UsccContest:
    """Staff decide a claim. Upholding it rejects the holder — a pending
    application or an active unit found to be someone else's — which releases
    the code for the claimant's own application; dismissing it changes nothing
    but the claim. Either way both sides are told why."""
    _require_staff(actor)
    note = note.strip()
    if not note:
        raise UsccContestNoteRequired()
    contest = procurement_row_lock(contest)
    if contest.status != UsccContest.Status.OPEN:
        raise UsccContestAlreadyResolved()
    holder = procurement_row_lock(contest.holder)
    if uphold:
        if holder.status in (BuyerOrganisation.Status.PENDING, BuyerOrganisation.Status.ACTIVE):
            holder.status = BuyerOrganisation.Status.REJECTED
            holder.save(update_fields=["status", "updated_at"])
        # Every other open claim on this code was answered by the same decision.
        others = UsccContest.objects.filter(
            uscc=contest.uscc, status=UsccContest.Status.OPEN
        ).exclude(pk=contest.pk)
        claimants = [contest.claimant, *(other.claimant for other in others)]
        others.update(
            status=UsccContest.Status.UPHELD,
            resolved_by=actor,
            resolved_at=timezone.now(),
            resolution_note=note,
            updated_at=timezone.now(),
        )
    else:
        claimants = [contest.claimant]
    contest.status = UsccContest.Status.UPHELD if uphold else UsccContest.Status.DISMISSED
    contest.resolved_by = actor
    contest.resolved_at = timezone.now()
    contest.resolution_note = note
    contest.save(
        update_fields=["status", "resolved_by", "resolved_at", "resolution_note", "updated_at"]
    )
    if uphold:
        _notify(
            users=claimants,
            subject=_("信用代码申诉已支持：%(uscc)s") % {"uscc": contest.uscc},
            body=_(
                "经核实，统一社会信用代码 %(uscc)s 已释放，请重新提交入驻申请。处理意见：%(note)s"
            )
            % {"uscc": contest.uscc, "note": note},
            link=reverse("procurement:apply"),
        )
        _notify(
            users=[m.user for m in holder.memberships.select_related("user")],
            subject=_("“%(name)s”的入驻已被撤销") % {"name": holder.name},
            body=_(
                "经平台核实，统一社会信用代码 %(uscc)s 不属于“%(name)s”，该单位的入驻已被撤销。"
                "处理意见：%(note)s"
            )
            % {"uscc": contest.uscc, "name": holder.name, "note": note},
            link=reverse("procurement:home"),
        )
    else:
        _notify(
            users=claimants,
            subject=_("信用代码申诉未支持：%(uscc)s") % {"uscc": contest.uscc},
            body=_("经核实，统一社会信用代码 %(uscc)s 仍由“%(holder)s”使用。处理意见：%(note)s")
            % {"uscc": contest.uscc, "holder": holder.name, "note": note},
            link=reverse("procurement:uscc-contest"),
        )
    return contest


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
    user = user_for_email(email)
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
        link=reverse("procurement:dashboard", args=[organisation.pk]),
    )
    return membership
