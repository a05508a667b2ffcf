"""The rows customer services lock (through common.locks, in primary-key order)."""

from oscar.core.loading import get_model

from common.locks import row_lock
from customer.models import SmsCode

Order = get_model("order", "Order")


def sms_code_lock(*, pk: int) -> SmsCode:
    """One code, so that two tries of it are judged one after the other: a
    code is used once, and its wrong tries are all counted."""
    return row_lock(SmsCode.objects.all(), pk=pk)


def order_lock(*, pk: int) -> "Order":
    """An Oscar order while its buyer (or the daily command) confirms receipt:
    two confirmations of one order queue, and the second finds it complete."""
    return row_lock(Order.objects.all(), pk=pk)
