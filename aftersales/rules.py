"""The rules of after-sales, each in one place: services, forms, views and
templates call them."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def line_refund_amount(
    *,
    line_total: Decimal,
    line_quantity: int,
    quantity: int,
    earlier_quantity: int,
    earlier_amount: Decimal,
) -> Decimal:
    """What ``quantity`` units of an order line give back: the line's price
    incl. tax (after discounts) per unit, never more than the line's total less
    what earlier refunds or open requests of the line took. The last units of a
    line take exactly what is left, so rounding never loses or adds a fen."""
    left = max(line_total - earlier_amount, ZERO)
    if quantity <= 0 or line_quantity <= 0:
        return ZERO
    if earlier_quantity + quantity >= line_quantity:
        return left
    share = (line_total * quantity / line_quantity).quantize(CENT, rounding=ROUND_HALF_UP)
    return min(share, left)


def line_quantity_open(*, line_quantity: int, earlier_quantity: int) -> int:
    """How many units of a line a new request may still name."""
    return max(line_quantity - earlier_quantity, 0)


def case_respond_by(*, requested_at):
    """When the producer must have accepted or rejected a request
    (AFTERSALES_RESPONSE_HOURS after it was made); later, staff take it over."""
    return requested_at + timedelta(hours=settings.AFTERSALES_RESPONSE_HOURS)


def case_is_overdue(*, respond_by, now) -> bool:
    return respond_by is not None and respond_by <= now


def order_is_cancellable(*, status: str, shipped: bool) -> bool:
    """A buyer (or staff) may cancel an order until anything in it ships: one
    awaiting payment, or paid with no producer's lines sent yet. Once one
    producer has shipped, the order stands; the buyer asks per line after
    shipping instead."""
    if shipped:
        return False
    return status in (settings.ORDER_STATUS_PENDING_PAYMENT, settings.ORDER_STATUS_PAID)


def line_is_requestable(*, line_status: str) -> bool:
    """Refund-only and return requests are for lines that have shipped."""
    return line_status in (settings.ORDER_STATUS_SHIPPED, settings.ORDER_STATUS_COMPLETE)
