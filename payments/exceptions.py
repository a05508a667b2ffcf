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


class PaidOnlyThroughReceipts(PaymentsError):
    """A bank-transfer order becomes paid when the receipts staff record reach
    its total, never by setting its status by hand (which booked the whole
    amount with the order number as the bank's reference)."""

    code = "paid_only_through_receipts"
    message = _(
        "订单 %(number)s 以银行转账付款，不能直接改为已付款：请在订单页“银行收款”中登记"
        "银行流水号、到账金额和到账日期，累计到账达到订单金额时订单自动变为已付款。"
    )

    def __init__(self, order_number: str):
        self.order_number = order_number
        super().__init__(params={"number": order_number})


class BankReceiptRefused(PaymentsError):
    """A bank receipt that cannot be booked; ``field`` names the form field at fault."""

    code = "bank_receipt_refused"
    message = _("这笔银行收款不能登记。")
    field: str | None = None


class BankReferenceRequired(BankReceiptRefused):
    code = "bank_reference_required"
    message = _("请填写银行流水号。")
    field = "reference"


class BankReferenceTooLong(BankReceiptRefused):
    code = "bank_reference_too_long"
    message = _("银行流水号最多 %(max)s 个字符。")
    field = "reference"


class BankReceiptDuplicate(BankReceiptRefused):
    """The same bank serial number was booked already (a double click, or the
    same statement line entered twice)."""

    code = "bank_receipt_duplicate"
    message = _("流水号 %(reference)s 已登记在订单 %(number)s，同一笔到账不能重复登记。")
    field = "reference"


class BankReceiptAmountInvalid(BankReceiptRefused):
    code = "bank_receipt_amount_invalid"
    message = _("到账金额须大于 0 元，最多两位小数，且小于 100 亿元。")
    field = "amount"


class BankReceiptDateInFuture(BankReceiptRefused):
    code = "bank_receipt_date_in_future"
    message = _("到账日期不能晚于今天。")
    field = "received_on"


class BankReceiptDateBeforeOrder(BankReceiptRefused):
    code = "bank_receipt_date_before_order"
    message = _("到账日期不能早于下单日期 %(placed)s。")
    field = "received_on"


class BankReceiptOrderCancelled(BankReceiptRefused):
    code = "bank_receipt_order_cancelled"
    message = _("订单 %(number)s 已取消，不能登记收款。")


class BankRefundRefused(PaymentsError):
    """A refund of an overpayment that cannot be recorded as sent."""

    code = "bank_refund_refused"
    message = _("这笔退款不能登记。")
    field: str | None = None


class BankRefundAlreadySettled(BankRefundRefused):
    code = "bank_refund_already_settled"
    message = _("这笔多付款已登记为已退款。")


class BankRefundReferenceRequired(BankRefundRefused):
    code = "bank_refund_reference_required"
    message = _("请填写退款的银行流水号（最多 %(max)s 个字符）。")
    field = "reference"


class BankRefundDateInFuture(BankRefundRefused):
    code = "bank_refund_date_in_future"
    message = _("退款日期不能晚于今天。")
    field = "refunded_on"


class BankRefundDateBeforeReceipt(BankRefundRefused):
    code = "bank_refund_date_before_receipt"
    message = _("退款日期不能早于多付款到账日期 %(received)s。")
    field = "refunded_on"
