"""The rows this app locks, named once (Saleor's ``lock_objects.py``).

Always in this order: the order (``partner.lock_objects.order_lock``), its payment source, its Stripe payments, then
its refunds."""

from oscar.core.loading import get_model

from common.locks import row_lock, rows_lock
from payments.models import BankTransferRefund, StripePayment

Source = get_model("payment", "Source")


def order_source_lock(*, order, source_type_code: str) -> "Source | None":
    """The order's payment source of one type, locked (the order first)."""
    ids = Source.objects.filter(order=order, source_type__code=source_type_code).values_list(
        "pk", flat=True
    )
    return next(iter(rows_lock(Source.objects.all(), ids=list(ids)).values()), None)


def bank_transfer_refund_lock(*, pk: int) -> BankTransferRefund:
    """A refund owed, locked (its order and source first)."""
    return row_lock(BankTransferRefund.objects.all(), pk=pk)


def stripe_payments_lock(*, order) -> list[StripePayment]:
    """The order's Stripe payments, locked (the order first)."""
    ids = StripePayment.objects.filter(order=order).values_list("pk", flat=True)
    return list(rows_lock(StripePayment.objects.all(), ids=list(ids)).values())
