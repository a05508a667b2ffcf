"""The rows this app locks, named once. Always the order first (every case
of an order queues behind it, so two requests or refunds of one line cannot
both pass the limit), then the case."""

from oscar.core.loading import get_model

from aftersales.models import AfterSalesCase
from common.locks import row_lock

Order = get_model("order", "Order")


def order_lock(*, pk: int) -> "Order":
    return row_lock(Order.objects.all(), pk=pk)


def case_lock(*, pk: int) -> AfterSalesCase:
    return row_lock(AfterSalesCase.objects.all(), pk=pk)
