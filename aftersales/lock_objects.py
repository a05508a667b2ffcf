"""The rows this app locks, named once. Always the order first (every case
of an order queues behind it: ``partner.lock_objects.order_lock``, so two requests or refunds of one line cannot
both pass the limit), then the case."""

from aftersales.models import AfterSalesCase
from common.locks import row_lock


def case_lock(*, pk: int) -> AfterSalesCase:
    return row_lock(AfterSalesCase.objects.all(), pk=pk)
