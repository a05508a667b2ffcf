"""What has been paid for an order, read in one place for the dashboard and
the buyer's order page."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from oscar.core.loading import get_model

from payments.methods import BANK_TRANSFER_CODE, STRIPE_CARD_CODE
from payments.models import (
    BankRefundStatus,
    BankTransferRefund,
    StripePayment,
    StripePaymentStatus,
)

Order = get_model("order", "Order")
Source = get_model("payment", "Source")

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BankTransferFigures:
    total: Decimal  # what the buyer owes for the order
    received: Decimal  # every yuan that arrived, overpayments included
    refund_owed: Decimal  # overpayments not yet sent back
    refunded: Decimal  # overpayments sent back

    @property
    def outstanding(self) -> Decimal:
        return max(self.total - self.received, ZERO)


def order_bank_transfer_figures(*, order) -> BankTransferFigures | None:
    """The order's bank-transfer figures, or None when it is paid otherwise.

    They come from the order's payment source, which every receipt debits and
    every settled refund credits, so orders marked paid before receipts were
    recorded one by one read the same way.
    """
    source = Source.objects.filter(order=order, source_type__code=BANK_TRANSFER_CODE).first()
    if source is None:
        return None
    owed = BankTransferRefund.objects.filter(order=order, status=BankRefundStatus.OWED).aggregate(
        total=Sum("amount")
    )["total"]
    return BankTransferFigures(
        total=source.amount_allocated,
        received=source.amount_debited,
        refund_owed=owed or ZERO,
        refunded=source.amount_refunded,
    )


def order_for_payer(*, request, number: str):
    """The order ``number`` if the visitor placed it (their account, or this
    browser's checkout for a guest), else None."""
    order = Order.objects.filter(number=number).first()
    if order is None:
        return None
    if order.user_id is not None:
        return order if request.user.is_authenticated and order.user_id == request.user.pk else None
    return order if request.session.get("checkout_order_id") == order.pk else None


def order_awaits_card_payment(*, order) -> bool:
    """Whether the buyer can still pay ``order`` by card (the card page)."""
    return (
        order.status == settings.ORDER_STATUS_PENDING_PAYMENT
        and StripePayment.objects.filter(order=order, status=StripePaymentStatus.OPEN).exists()
    )


@dataclass(frozen=True)
class PaidMoney:
    method: str  # the payment source type code (STRIPE_CARD_CODE or BANK_TRANSFER_CODE)
    refundable: Decimal  # paid, less refunded, less refunds owed


def order_paid_money(*, order) -> PaidMoney | None:
    """How the order was paid and how much of it can still go back to the
    buyer, or None when nothing was paid. Overpayments owed back are not the
    order's money, so they are taken off along with every other refund owed."""
    for source in Source.objects.filter(
        order=order, source_type__code__in=[STRIPE_CARD_CODE, BANK_TRANSFER_CODE]
    ).select_related("source_type"):
        if source.amount_debited <= 0:
            continue
        owed = ZERO
        if source.source_type.code == BANK_TRANSFER_CODE:
            owed = (
                BankTransferRefund.objects.filter(
                    order=order, status=BankRefundStatus.OWED
                ).aggregate(total=Sum("amount"))["total"]
                or ZERO
            )
        return PaidMoney(
            method=source.source_type.code,
            refundable=max(source.amount_debited - source.amount_refunded - owed, ZERO),
        )
    return None
