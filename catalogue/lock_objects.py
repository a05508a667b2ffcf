"""The rows this app locks, named once (Saleor's ``lock_objects.py``)."""

from collections.abc import Iterable

from oscar.core.loading import get_model

from common.locks import row_lock, rows_lock

Product = get_model("catalogue", "Product")


def product_lock(*, pk: int) -> "Product":
    """One listing, locked and read afresh (its producer joined, not locked)."""
    return row_lock(Product.objects.select_related("producer"), pk=pk, of=("self",))


def products_lock(*, ids: Iterable[int]) -> dict[int, "Product"]:
    return rows_lock(Product.objects.all(), ids=ids)
