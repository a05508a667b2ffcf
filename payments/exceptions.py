from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError


class PaymentsError(DomainError):
    """Base class for payment domain errors."""

    code = "payments_error"


class NoBankTransferSource(PaymentsError):
    """The order was not placed for payment by bank transfer."""

    code = "no_bank_transfer_source"
    message = _("订单 %(number)s 不是以银行转账方式下单的。")

    def __init__(self, order_number: str):
        self.order_number = order_number
        super().__init__(params={"number": order_number})
