"""The rows this app locks, named once (Saleor's ``lock_objects.py``)."""

from collections.abc import Iterable
from datetime import datetime

from oscar.core.loading import get_model

from common.locks import rows_claim, rows_lock
from search.models import IndexOutbox

Product = get_model("catalogue", "Product")


def outbox_claim(*, now: datetime, limit: int) -> list[IndexOutbox]:
    """The oldest outbox rows due by ``now`` (not held for a rebuild), locked;
    rows another worker is applying are skipped, not waited for."""
    due = IndexOutbox.objects.filter(held=False, next_attempt_at__lte=now).order_by("pk")
    return rows_claim(due, limit=limit)


def products_index_lock(*, ids: Iterable[int]) -> None:
    """The products whose index entries are being written, locked in pk order
    (two writers of the same product queue for it); only the keys are read:
    the documents were read before."""
    rows_lock(Product.objects.only("pk"), ids=ids)
