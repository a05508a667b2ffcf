"""Rules of invoices (发票) for consumer orders, each in one place: the buyer's
request form and service, the producer's workspace and the private file view
call them.

An order may hold several producers' goods; each producer invoices its own
lines, so the buyer asks each producer once (one request per order per
producer), for the amount of that producer's lines.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from common.order_status import order_status_label
from common.validators import normalise_uscc, validate_uscc
from producers.exceptions import (
    InvoiceEmailInvalid,
    InvoiceNumberInvalid,
    InvoiceOrderNotPaid,
    InvoiceTaxNumberInvalid,
    InvoiceTitleKindInvalid,
    InvoiceTitleRequired,
)
from producers.models import InvoiceRequest
from producers.selectors import producer_is_managed_by

INVOICE_TITLE_MAX_LENGTH = InvoiceRequest._meta.get_field("title").max_length

# Paid money can be invoiced; money not (yet, or any more) paid cannot.
INVOICEABLE_ORDER_STATUSES = (
    settings.ORDER_STATUS_PAID,
    settings.ORDER_STATUS_SHIPPED,
    settings.ORDER_STATUS_COMPLETE,
)


def order_invoiceable(order) -> bool:
    """Whether the buyer may ask for invoices for ``order``: it is paid."""
    return order.status in INVOICEABLE_ORDER_STATUSES


def order_invoiceable_check(order) -> None:
    if not order_invoiceable(order):
        raise InvoiceOrderNotPaid(
            params={"number": order.number, "status": order_status_label(order.status)}
        )


def invoice_details_clean(
    *, title_kind: str, title: str, tax_number: str, email: str
) -> tuple[str, str, str, str]:
    """The invoice title (抬头) as stored: a company (单位) needs its 统一社会信用代码
    (checked with its GB 32100 check character); a person (个人) has none.
    Raises an ``InvoiceError`` naming the field at fault."""
    if title_kind not in InvoiceRequest.TitleKind.values:
        raise InvoiceTitleKindInvalid()
    title = " ".join((title or "").split())
    if not title or len(title) > INVOICE_TITLE_MAX_LENGTH:
        raise InvoiceTitleRequired(params={"max": INVOICE_TITLE_MAX_LENGTH})
    if title_kind == InvoiceRequest.TitleKind.COMPANY:
        tax_number = normalise_uscc(tax_number)
        if not tax_number:
            raise InvoiceTaxNumberInvalid()
        try:
            validate_uscc(tax_number)
        except ValidationError as error:
            raise InvoiceTaxNumberInvalid(error.messages[0]) from None
    else:
        tax_number = ""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise InvoiceEmailInvalid() from None
    return title_kind, title, tax_number, email


def invoice_pdf_readable_by(*, invoice: InvoiceRequest, user) -> bool:
    """Who may read an issued invoice: the buyer who asked for it, the users of
    the producer that issued it, and staff."""
    if not user.is_authenticated or not invoice.is_issued:
        return False
    if user.is_staff:
        return True
    if invoice.order.user_id == user.pk:
        return True
    return producer_is_managed_by(producer=invoice.producer, user=user)


_INVOICE_NUMBER = re.compile(r"^[A-Za-z0-9]{8,40}$")


def invoice_number_clean(number: str) -> str:
    """An invoice number (发票号码) as stored: 8 to 40 letters or digits (a
    paper invoice's 8 digits, an electronic one's 20), spaces dropped."""
    number = "".join((number or "").split()).upper()
    if not _INVOICE_NUMBER.match(number):
        raise InvoiceNumberInvalid()
    return number
