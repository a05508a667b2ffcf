"""The producer's side of invoices (发票): recording a requested invoice as
issued, with its number, date and PDF. The buyer's request is
``customer.services.invoice_request_create``; the rules are ``producers.rules``."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.sites import site_url
from common.uploads import document_rename, pdf_check
from producers.exceptions import (
    InvoiceAlreadyIssued,
    InvoiceDateInvalid,
    InvoicePdfInvalid,
    ProducerPermissionDenied,
)
from producers.lock_objects import invoice_request_lock
from producers.models import InvoiceRequest, Producer
from producers.rules import invoice_number_clean
from producers.selectors import producer_is_managed_by


def _buyer_told(invoice: InvoiceRequest) -> None:
    order = invoice.order
    link = site_url(reverse("customer:order", kwargs={"order_number": order.number}))
    subject = _("订单 %(number)s 的发票已开具") % {"number": order.number}
    body = "\n\n".join(
        [
            _("%(producer)s已为订单 %(number)s 开具发票，发票号码 %(invoice)s。")
            % {
                "producer": invoice.producer.name,
                "number": order.number,
                "invoice": invoice.invoice_number,
            },
            _("请登录后在订单页面下载发票 PDF：%(url)s") % {"url": link},
            str(settings.OSCAR_SHOP_NAME),
        ]
    )
    transaction.on_commit(
        lambda: send_mail(
            subject, body, settings.DEFAULT_FROM_EMAIL, [invoice.email], fail_silently=True
        )
    )


@transaction.atomic
def invoice_issue(
    *,
    producer: Producer,
    invoice_id: int,
    actor,
    invoice_number: str,
    issued_on: datetime.date,
    pdf,
) -> InvoiceRequest:
    """Record the producer's invoice for a request: its number, date and PDF
    (checked: a real PDF within the size limit, stored privately under a
    server-chosen name). Once only; the buyer is e-mailed at the address they
    gave."""
    if not producer_is_managed_by(producer=producer, user=actor):
        raise ProducerPermissionDenied()
    invoice = invoice_request_lock(pk=invoice_id)
    if invoice.producer_id != producer.pk:
        raise InvoiceRequest.DoesNotExist()
    if invoice.is_issued:
        raise InvoiceAlreadyIssued(params={"number": invoice.invoice_number})
    number = invoice_number_clean(invoice_number)
    placed = timezone.localdate(invoice.order.date_placed)
    if issued_on is None or issued_on < placed or issued_on > timezone.localdate():
        raise InvoiceDateInvalid(params={"placed": placed.isoformat()})
    if pdf is None:
        raise InvoicePdfInvalid()
    try:
        checked = pdf_check(pdf)
    except ValidationError as error:
        raise InvoicePdfInvalid(error.messages[0]) from None
    document_rename(pdf, checked)
    invoice.invoice_number = number
    invoice.issued_on = issued_on
    invoice.pdf = pdf
    invoice.status = InvoiceRequest.Status.ISSUED
    invoice.issued_by = actor
    invoice.issued_at = timezone.now()
    invoice.save()
    _buyer_told(invoice)
    return invoice
