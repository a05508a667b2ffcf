from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError
from common.workflow import IllegalTransition, ReasonRequired, TransitionNotPermitted


class AftersalesError(DomainError):
    """Base class for after-sales domain errors."""

    code = "aftersales_error"
    field: str | None = None


class OrderNotCancellable(AftersalesError):
    code = "aftersales_order_not_cancellable"
    message = _("订单 %(number)s 当前状态为“%(status)s”或已有商品发货，不能取消。")


class OrderNotYours(AftersalesError):
    code = "aftersales_order_not_yours"
    message = _("只有下单的买家或平台工作人员可以办理这笔订单的售后。")


class LineNotRequestable(AftersalesError):
    code = "aftersales_line_not_requestable"
    message = _("这件商品尚未发货，不能申请退款或退货；发货前请取消订单。")


class QuantityInvalid(AftersalesError):
    code = "aftersales_quantity_invalid"
    message = _("申请数量须为 1 到 %(open)s 之间的整数（其余数量已退款或正在处理）。")
    field = "quantity"


class TooManyPhotos(AftersalesError):
    code = "aftersales_too_many_photos"
    message = _("最多上传 %(max)s 张照片。")
    field = "photos"


class PhotoRefused(AftersalesError):
    code = "aftersales_photo_refused"
    message = _("照片 %(name)s 不能上传：%(why)s")
    field = "photos"


class RefundExceedsPaid(AftersalesError):
    code = "aftersales_refund_exceeds_paid"
    message = _("退款金额 %(amount)s 元超过这笔订单尚可退还的 %(refundable)s 元。")


class NothingPaid(AftersalesError):
    code = "aftersales_nothing_paid"
    message = _("订单 %(number)s 没有已付款项，无需退款。")


class ReturnWaybillRequired(AftersalesError):
    code = "aftersales_return_waybill_required"
    message = _("请填写退货的快递公司和运单号。")


class CaseIllegalStep(IllegalTransition, AftersalesError):
    code = "aftersales_illegal_step"
    message = _("售后单当前状态下不能进行此操作。")


class CaseNotPermitted(TransitionNotPermitted, AftersalesError):
    code = "aftersales_not_permitted"
    message = _("您没有办理这张售后单此项操作的权限。")


class CaseReasonRequired(ReasonRequired, AftersalesError):
    code = "aftersales_reason_required"
    message = _("请说明理由。")
