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


class PaidOnlyByStripe(PaymentsError):
    """A card order becomes paid when Stripe says the money was taken, never
    by setting its status by hand."""

    code = "paid_only_by_stripe"
    message = _(
        "订单 %(number)s 以银行卡在线支付，只有 Stripe 确认扣款后才会自动变为已付款，不能手动改为已付款。"
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


class BankRefundDateBeforeOrder(BankRefundRefused):
    code = "bank_refund_date_before_order"
    message = _("退款日期不能早于下单日期 %(placed)s。")
    field = "refunded_on"


class BankRefundExceedsPaid(BankRefundRefused):
    code = "bank_refund_exceeds_paid"
    message = _("退款金额 %(amount)s 元超过订单 %(number)s 尚可退还的 %(refundable)s 元。")


class StripePaymentError(PaymentsError):
    """A card payment through Stripe that cannot go on; the order is kept."""

    code = "stripe_payment_error"
    message = _("银行卡付款未完成，订单已保留，请稍后重试。")


class StripeCardDeclined(StripePaymentError):
    code = "stripe_card_declined"
    message = _("银行卡被发卡行拒绝，没有扣款。订单已保留，请换一张卡再试。")


class StripeCardInvalid(StripePaymentError):
    code = "stripe_card_invalid"
    message = _("卡号、有效期或安全码有误，没有扣款。请检查后重试。")


class StripeAuthenticationFailed(StripePaymentError):
    """The bank's 3-D Secure check was failed or cancelled."""

    code = "stripe_authentication_failed"
    message = _(
        "银行卡身份验证（3-D Secure）没有通过，没有扣款。订单已保留，请重新验证或换一张卡。"
    )


class StripeUnavailable(StripePaymentError):
    code = "stripe_unavailable"
    message = _("支付服务暂时无法连接，没有扣款。订单已保留，请稍后再试。")


class StripeOrderNotPayable(StripePaymentError):
    code = "stripe_order_not_payable"
    message = _("订单 %(number)s 当前不能在线付款（已付款、已取消或不是银行卡付款的订单）。")


class StripeWebhookRefused(PaymentsError):
    """A webhook that was not applied; the endpoint answers non-2xx so that
    Stripe retries (or a forged one is turned away)."""

    code = "stripe_webhook_refused"
    message = _("Stripe 通知未处理。")


class StripeSignatureInvalid(StripeWebhookRefused):
    code = "stripe_signature_invalid"
    message = _("Stripe 通知的签名无效或已过期。")


class StripeUnknownPayment(StripeWebhookRefused):
    code = "stripe_unknown_payment"
    message = _("Stripe 支付意图 %(intent)s 不属于本站任何订单。")


class StripeAmountMismatch(StripeWebhookRefused):
    code = "stripe_amount_mismatch"
    message = _(
        "Stripe 通知的金额 %(amount)s（%(currency)s）与订单 %(number)s 应付的 %(due)s 元不符，未入账。"
    )


class StripeRefundBeforePayment(StripeWebhookRefused):
    code = "stripe_refund_before_payment"
    message = _("订单 %(number)s 的退款通知早于付款通知到达，稍后重试。")


class StripeRefundRefused(PaymentsError):
    code = "stripe_refund_refused"
    message = _("这笔银行卡退款不能发起。")


class StripeRefundNotPaid(StripeRefundRefused):
    code = "stripe_refund_not_paid"
    message = _("订单 %(number)s 没有通过银行卡付款成功，不能原路退款。")


class StripeRefundAmountInvalid(StripeRefundRefused):
    code = "stripe_refund_amount_invalid"
    message = _("退款金额须大于 0 元，最多两位小数。")


class StripeRefundExceedsPaid(StripeRefundRefused):
    code = "stripe_refund_exceeds_paid"
    message = _("退款金额 %(amount)s 元超过订单 %(number)s 尚可退还的 %(refundable)s 元。")


class StripeRefundFailed(StripeRefundRefused):
    code = "stripe_refund_failed"
    message = _("Stripe 没有受理这笔退款，没有退款记录。请稍后重试。")
