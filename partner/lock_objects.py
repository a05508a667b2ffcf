"""The rows this app locks, named once (Saleor's ``lock_objects.py``)."""

from collections.abc import Iterable

from oscar.core.loading import get_model

from common.locks import rows_lock

StockRecord = get_model("partner", "StockRecord")


def stockrecords_lock(*, ids: Iterable[int]) -> dict[int, "StockRecord"]:
    """Stock records and their products, locked in primary-key order. Call
    inside a transaction."""
    return rows_lock(StockRecord.objects.select_related("product"), ids=ids)
