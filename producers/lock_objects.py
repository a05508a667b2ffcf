"""The rows this app locks, named once (Saleor's ``lock_objects.py``)."""

from collections.abc import Iterable

from common.locks import row_lock, rows_lock
from producers.models import (
    BenefitLinkage,
    CategoryProposal,
    InvoiceRequest,
    ProducerApplication,
)


def application_lock(*, pk: int) -> ProducerApplication:
    return row_lock(ProducerApplication.objects.all(), pk=pk)


def linkages_lock(*, ids: Iterable[int]) -> dict[int, BenefitLinkage]:
    return rows_lock(BenefitLinkage.objects.all(), ids=ids)


def category_proposal_lock(*, pk: int) -> CategoryProposal:
    """A category proposal while staff decide on it (one decision, never two)."""
    return row_lock(CategoryProposal.objects.all(), pk=pk)


def invoice_request_lock(*, pk: int) -> InvoiceRequest:
    """An invoice request while its producer records it issued (once, never twice)."""
    return row_lock(InvoiceRequest.objects.all(), pk=pk)
