"""The rows this app locks, named once (Saleor's ``lock_objects.py``)."""

from collections.abc import Iterable

from oscar.core.loading import get_model

from common.locks import row_lock, rows_lock

StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")


def stockrecords_lock(*, ids: Iterable[int]) -> dict[int, "StockRecord"]:
    """Stock records and their products, locked in primary-key order. Call
    inside a transaction."""
    return rows_lock(StockRecord.objects.select_related("product"), ids=ids)


def order_lock(*, pk: int) -> "Order":
    """An Oscar order, read afresh and locked: always the first row locked when
    an order changes (payment, shipping, receipt, cancellation, after-sales),
    so everything done to one order queues behind it. The apps above lock their
    own rows (sources, payments, cases) after it."""
    return row_lock(Order.objects.all(), pk=pk)
