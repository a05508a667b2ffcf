"""The rows this app locks, named once (Saleor's ``lock_objects.py``)."""

from datetime import datetime

from common.locks import rows_claim
from search.models import IndexOutbox


def outbox_claim(*, now: datetime, limit: int) -> list[IndexOutbox]:
    """The oldest outbox rows due by ``now`` (not held for a rebuild), locked;
    rows another worker is applying are skipped, not waited for."""
    due = IndexOutbox.objects.filter(held=False, next_attempt_at__lte=now).order_by("pk")
    return rows_claim(due, limit=limit)
