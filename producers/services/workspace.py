"""Writes of the producer's own workspace: certificates, shipping, and the
daily report of certificates about to lapse."""

import datetime
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from common.order_notifications import order_email_send
from common.order_status import order_status_label
from common.uploads import document_check, document_rename
from partner.lock_objects import order_lock, stockrecords_lock
from producers.exceptions import (
    CertificateNotOwned,
    CertificateProductNotOwned,
    ProducerPermissionDenied,
    ShipmentAlreadySent,
    ShipmentNothingToShip,
    ShipmentOrderNotPaid,
)
from producers.models import (
    Certificate,
    Producer,
    Shipment,
)
from producers.selectors import certificates_expiring, producer_is_managed_by

User = get_user_model()
Product = get_model("catalogue", "Product")
Order = get_model("order", "Order")
ShippingEventType = get_model("order", "ShippingEventType")
EventHandler = get_class("order.processing", "EventHandler")


def _require_producer_user(*, producer: Producer, actor) -> None:
    if not producer_is_managed_by(producer=producer, user=actor):
        raise ProducerPermissionDenied()


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
        raise CertificateNotOwned()
    products = list(Product.objects.filter(pk__in=set(product_ids), producer=producer))
    if len(products) != len(set(product_ids)):
        raise CertificateProductNotOwned()
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


ORDER_SHIPPED_EVENT_CODE = "ORDER_SHIPPED"


def _shipped_event_type():
    event_type, _created = ShippingEventType.objects.get_or_create(
        code="shipped",
        defaults={"name": settings.ORDER_STATUS_LABELS[settings.ORDER_STATUS_SHIPPED]},
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
    order = order_lock(pk=order_id)
    lines = list(order.lines.filter(partner=producer.partner).order_by("pk"))
    if not lines:
        raise ShipmentNothingToShip()
    if Shipment.objects.filter(order=order, producer=producer).exists():
        raise ShipmentAlreadySent()
    if order.status != settings.ORDER_STATUS_PAID:
        raise ShipmentOrderNotPaid(params={"status": order_status_label(order.status)})
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
    # Each producer's parcel has its own waybill: the buyer hears of each.
    transaction.on_commit(
        lambda: order_email_send(
            order_id=order.pk,
            event_code=ORDER_SHIPPED_EVENT_CODE,
            extra_context={"shipment": shipment, "shipped_lines": lines},
        )
    )
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
