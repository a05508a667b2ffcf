from django.db import transaction
from oscar.core.loading import get_model

from partner.exceptions import InsufficientStock
from partner.lock_objects import stockrecords_lock

StockRecord = get_model("partner", "StockRecord")


@transaction.atomic
def stockrecord_allocate(*, stockrecord_id: int, quantity: int) -> "StockRecord":
    """Allocate ``quantity`` units, refusing to allocate more than is in stock.

    The availability check and the write happen under the same row lock, so
    two buyers of the last unit cannot both succeed.
    """
    locked = stockrecords_lock(ids=[stockrecord_id])[stockrecord_id]
    available = (locked.num_in_stock or 0) - (locked.num_allocated or 0)
    if quantity > available:
        raise InsufficientStock(locked.product.get_title(), quantity, available)
    locked.num_allocated = (locked.num_allocated or 0) + quantity
    locked.save(update_fields=["num_allocated"])
    return locked


@transaction.atomic
def stockrecords_restock(*, quantities: dict[int, int]) -> None:
    """Put returned goods back in stock: ``quantities`` maps stock record ids to
    the units that came back (rejected at acceptance and returned)."""
    quantities = {pk: qty for pk, qty in quantities.items() if qty > 0}
    if not quantities:
        return
    locked = stockrecords_lock(ids=quantities)
    for pk, quantity in quantities.items():
        record = locked[pk]
        record.num_in_stock = (record.num_in_stock or 0) + quantity
        # Saving the row lets search re-index the product's availability.
        record.save(update_fields=["num_in_stock"])


@transaction.atomic
def stockrecords_release(*, quantities: dict[int, int]) -> None:
    """Give back allocations that will not be shipped (a contract cancelled by
    agreement): ``quantities`` maps stock record ids to the units allocated."""
    quantities = {pk: qty for pk, qty in quantities.items() if qty > 0}
    if not quantities:
        return
    locked = stockrecords_lock(ids=quantities)
    for pk, quantity in quantities.items():
        # Oscar's own method sends the save signals, so search re-indexes the
        # product's availability once the transaction commits.
        locked[pk].cancel_allocation(quantity)
