from django.utils.translation import gettext_lazy as _
from oscar.apps.order.exceptions import UnableToPlaceOrder

from common.exceptions import DomainError


class InsufficientStock(DomainError, UnableToPlaceOrder):
    """Raised inside the order transaction, so Oscar rolls the order back and
    shows the message instead of placing an oversold order."""

    code = "insufficient_stock"
    message = _("“%(title)s”库存不足：您需要 %(requested)d 件，目前仅剩 %(available)d 件。")

    def __init__(self, product_title: str, requested: int, available: int):
        self.product_title = product_title
        self.requested = requested
        self.available = available
        super().__init__(
            params={"title": product_title, "requested": requested, "available": max(available, 0)}
        )
