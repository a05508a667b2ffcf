from dataclasses import asdict, dataclass
from decimal import Decimal

from django.core.files import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from common.roles import is_platform_staff
from producers.exceptions import (
    LinkagePermissionDenied,
    LinkageStaffOnly,
    LinkageYearConflict,
    ProducerNotInCounty,
    UsccAlreadyProducer,
    UsccAlreadyTaken,
)
from producers.lock_objects import application_lock, linkages_lock
from producers.models import (
    ApplicationDecision,
    ApplicationStatus,
    BenefitLinkage,
    BenefitLinkageDecision,
    LinkageStatus,
    Producer,
    ProducerApplication,
)
from producers.notifications import producer_users_notify
from producers.selectors import producer_is_managed_by, uscc_in_use
from producers.signals import producer_approved
from producers.workflows import APPLICATION_WORKFLOW, LINKAGE_WORKFLOW
from regions.models import Region

Partner = get_model("partner", "Partner")


@transaction.atomic
def producer_create(
    *,
    name: str,
    kind: str,
    uscc: str,
    county: Region,
    introduction: str = "",
    food_licence_number: str = "",
    is_sample: bool = False,
) -> Producer:
    if county.level != Region.Level.COUNTY:
        raise ProducerNotInCounty()
    partner = Partner.objects.create(name=name)
    producer = Producer(
        partner=partner,
        kind=kind,
        uscc=uscc.strip().upper(),
        county=county,
        introduction=introduction,
        food_licence_number=food_licence_number,
        is_sample=is_sample,
    )
    producer.full_clean()
    producer.save()
    return producer


# --- Onboarding: application and review -------------------------------------

Action = ApplicationDecision.Action
LinkageAction = BenefitLinkageDecision.Action


@dataclass(frozen=True)
class ApplicationDetails:
    """What an applicant declares about the organisation (everything but files)."""

    kind: str
    name: str
    uscc: str
    county: Region
    legal_representative: str
    contact_name: str
    contact_mobile: str
    bank_account_name: str
    bank_name: str
    bank_account_number: str
    sells_food: bool
    food_licence_number: str


def _lock_application(application: ProducerApplication) -> ProducerApplication:
    return application_lock(pk=application.pk)


def _save_holding_uscc(application: ProducerApplication, **save_kwargs) -> None:
    # The partial unique constraint is the last word when two people apply
    # with the same code at the same moment.
    try:
        with transaction.atomic():
            application.save(**save_kwargs)
    except IntegrityError as exc:
        if "producer_application_uscc_held_once" in str(exc):
            raise UsccAlreadyTaken() from exc
        raise


@transaction.atomic
def producer_application_submit(
    *,
    applicant,
    details: ApplicationDetails,
    business_licence: File,
    food_licence_file: File | None = None,
) -> ProducerApplication:
    """File a new application; its documents must have passed `uploads.document_check`."""
    if uscc_in_use(uscc=details.uscc):
        raise UsccAlreadyTaken()
    application = ProducerApplication(
        applicant=applicant,
        status=ApplicationStatus.SUBMITTED,
        business_licence=business_licence,
        food_licence_file=food_licence_file if details.sells_food else "",
        **asdict(details),
    )
    application.full_clean(exclude=["business_licence", "food_licence_file"])
    _save_holding_uscc(application)
    APPLICATION_WORKFLOW.start(application, Action.SUBMIT, applicant)
    return application


@transaction.atomic
def producer_application_resubmit(
    *,
    application: ProducerApplication,
    actor,
    details: ApplicationDetails,
    business_licence: File | None = None,
    food_licence_file: File | None = None,
) -> ProducerApplication:
    """Correct a returned or rejected application and send it back to the county."""
    application = _lock_application(application)
    APPLICATION_WORKFLOW.check(application, Action.RESUBMIT, actor)
    if uscc_in_use(uscc=details.uscc, exclude_application_id=application.pk):
        raise UsccAlreadyTaken()
    replaced = []
    for name, upload in (
        ("business_licence", business_licence),
        ("food_licence_file", food_licence_file),
    ):
        if upload is not None:
            old = getattr(application, name)
            if old:
                replaced.append((old.storage, old.name))
            setattr(application, name, upload)
    for field, value in asdict(details).items():
        setattr(application, field, value)
    application.full_clean(exclude=["business_licence", "food_licence_file"])
    _save_holding_uscc(application)
    APPLICATION_WORKFLOW.apply(application, Action.RESUBMIT, actor)
    # Replaced documents go only once the new ones are safely recorded.
    for storage, name in replaced:
        transaction.on_commit(lambda s=storage, n=name: s.delete(n))
    return application


@transaction.atomic
def producer_application_recommend(
    *, application: ProducerApplication, actor
) -> ProducerApplication:
    application = _lock_application(application)
    APPLICATION_WORKFLOW.apply(application, Action.RECOMMEND, actor)
    return application


def _send_back(*, application: ProducerApplication, actor, reason: str, action: str):
    application = _lock_application(application)
    APPLICATION_WORKFLOW.apply(application, action, actor, reason=reason)
    return application


@transaction.atomic
def producer_application_return(
    *, application: ProducerApplication, actor, reason: str
) -> ProducerApplication:
    return _send_back(
        application=application,
        actor=actor,
        reason=reason,
        action=Action.RETURN,
    )


@transaction.atomic
def producer_application_reject(
    *, application: ProducerApplication, actor, reason: str
) -> ProducerApplication:
    return _send_back(
        application=application,
        actor=actor,
        reason=reason,
        action=Action.REJECT,
    )


@transaction.atomic
def producer_application_approve(*, application: ProducerApplication, actor) -> Producer:
    """Create the partner and producer and give the applicant access to it.

    Idempotent: approving an already approved application (a double-clicked
    button, a replayed request) returns its producer and changes nothing.
    """
    application = _lock_application(application)
    if application.status == ApplicationStatus.APPROVED and actor.is_staff:
        return application.producer
    APPLICATION_WORKFLOW.check(application, Action.APPROVE, actor)
    if Producer.objects.filter(uscc=application.uscc).exists():
        raise UsccAlreadyProducer()
    producer = producer_create(
        name=application.name,
        kind=application.kind,
        uscc=application.uscc,
        county=application.county,
        food_licence_number=application.food_licence_number,
    )
    producer.partner.users.add(application.applicant)
    application.producer = producer
    APPLICATION_WORKFLOW.apply(application, Action.APPROVE, actor, update_fields=["producer"])
    producer_approved.send(sender=Producer, producer=producer, application=application)
    return producer


# --- Benefit linkage (联农带农) ------------------------------------------------


@dataclass(frozen=True)
class LinkageFigures:
    """One year's figures as a producer declares them."""

    employment_households: int
    employment_amount: Decimal
    asset_income_households: int
    asset_income_amount: Decimal
    purchase_households: int
    purchase_amount: Decimal
    total_households: int


@transaction.atomic
def benefit_linkage_record(
    *, producer: Producer, actor, year: int, figures: LinkageFigures
) -> BenefitLinkage:
    """Create or replace a producer's figures for a year.

    Any change sends the figures back to unverified and into the staff queue:
    what staff checked is no longer what is shown. Saving figures staff sent
    back files them again even unchanged (the producer stands by them).
    """
    if not producer_is_managed_by(producer=producer, user=actor):
        raise LinkagePermissionDenied()
    existing = BenefitLinkage.objects.filter(producer=producer, year=year).values_list(
        "pk", flat=True
    )
    locked = linkages_lock(ids=existing)
    linkage = next(iter(locked.values()), None) or BenefitLinkage(producer=producer, year=year)
    is_new = linkage.pk is None
    changed = []
    for field, value in asdict(figures).items():
        if getattr(linkage, field) != value:
            setattr(linkage, field, value)
            changed.append(field)
    if not is_new and not changed and linkage.status != LinkageStatus.RETURNED:
        return linkage
    linkage.is_verified, linkage.verified_by, linkage.verified_at = False, None, None
    # The status follows in the workflow step below; the figures' rules now.
    linkage.full_clean(exclude=["status"], validate_unique=False)
    if not is_new:
        LINKAGE_WORKFLOW.apply(
            linkage,
            LinkageAction.RESUBMIT,
            actor,
            update_fields=[*changed, "is_verified", "verified_by", "verified_at"],
        )
        return linkage
    linkage.status = LinkageStatus.SUBMITTED
    try:
        with transaction.atomic():
            linkage.save()
    except IntegrityError as exc:
        # Two first submissions for the same year at the same moment.
        if "benefit_linkage_unique_per_year" in str(exc):
            raise LinkageYearConflict() from exc
        raise
    LINKAGE_WORKFLOW.start(linkage, LinkageAction.SUBMIT, actor)
    return linkage


def _lock_linkage(linkage: BenefitLinkage) -> BenefitLinkage:
    locked = linkages_lock(ids=[linkage.pk])
    if linkage.pk not in locked:
        raise BenefitLinkage.DoesNotExist(f"BenefitLinkage {linkage.pk} does not exist")
    return locked[linkage.pk]


@transaction.atomic
def benefit_linkage_verify(*, linkage: BenefitLinkage, actor) -> BenefitLinkage:
    """Mark figures as checked by platform staff, recording who and when (on the
    figures and in their decision log); idempotent."""
    if not is_platform_staff(actor):
        raise LinkageStaffOnly()
    linkage = _lock_linkage(linkage)
    if linkage.status == LinkageStatus.VERIFIED:
        return linkage
    LINKAGE_WORKFLOW.check(linkage, LinkageAction.VERIFY, actor)
    linkage.is_verified, linkage.verified_by, linkage.verified_at = True, actor, timezone.now()
    LINKAGE_WORKFLOW.apply(
        linkage,
        LinkageAction.VERIFY,
        actor,
        update_fields=["is_verified", "verified_by", "verified_at"],
    )
    return linkage


@transaction.atomic
def benefit_linkage_return(*, linkage: BenefitLinkage, actor, reason: str) -> BenefitLinkage:
    """Send figures back to the producer with a reason it can act on; its users
    are e-mailed a link to the year's form, where the reason is shown."""
    if not is_platform_staff(actor):
        raise LinkageStaffOnly()
    linkage = _lock_linkage(linkage)
    LINKAGE_WORKFLOW.apply(linkage, LinkageAction.RETURN, actor, reason=reason)
    producer = linkage.producer
    link = reverse("producers:workspace-linkage", args=[producer.pk]) + f"?year={linkage.year}"
    producer_users_notify(
        producer=producer,
        subject=_("【消费帮扶商城】%(year)s 年联农带农数据被退回修改") % {"year": linkage.year},
        body=_(
            "平台运营人员退回了 %(producer)s %(year)s 年的联农带农数据，理由：\n%(reason)s\n\n"
            "请核对后修改并重新提交。"
        )
        % {"producer": producer.name, "year": linkage.year, "reason": reason.strip()},
        link=link,
    )
    return linkage
