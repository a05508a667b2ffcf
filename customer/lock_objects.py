"""The rows customer services lock (through common.locks, in primary-key order)."""

from common.locks import row_lock
from customer.models import SmsCode


def sms_code_lock(*, pk: int) -> SmsCode:
    """One code, so that two tries of it are judged one after the other: a
    code is used once, and its wrong tries are all counted."""
    return row_lock(SmsCode.objects.all(), pk=pk)
