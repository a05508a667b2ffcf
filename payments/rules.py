"""The rules of paying by bank transfer, each in one place; services, forms,
views and templates call them."""

import re

from django.conf import settings

from common.exceptions import DomainError
from payments.exceptions import PaidOnlyThroughReceipts
from payments.methods import BANK_TRANSFER_CODE

_WHITESPACE = re.compile(r"\s+")


def bank_reference_normalised(reference: str) -> str:
    """A bank serial number as stored and compared: statements and copies
    from them differ only in spaces and letter case, never in meaning."""
    return _WHITESPACE.sub("", reference or "").upper()


def order_pays_by_bank_transfer(order) -> bool:
    return order.sources.filter(source_type__code=BANK_TRANSFER_CODE).exists()


def order_status_change_refusal(order, new_status: str) -> DomainError | None:
    """Why staff may not move ``order`` to ``new_status`` by hand, or None.

    A bank-transfer order becomes paid only when the receipts recorded against
    it reach its total (``payments.services.bank_receipt_record``), so the
    money booked is always the money that arrived, under the bank's reference.
    """
    if new_status == settings.ORDER_STATUS_PAID and order_pays_by_bank_transfer(order):
        return PaidOnlyThroughReceipts(order.number)
    return None
