"""After-sales cases (售后): a cancellation before shipping, or a refund-only
(仅退款) or return-and-refund (退货退款) request for part of an order line,
with the producer's decision, staff arbitration, the return waybill and the
refund that ends it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import TransitionLog
from common.storage import private_storage
from common.uploads import checked_document_path

MONEY = {"max_digits": 12, "decimal_places": 2}
PHOTO_DIRECTORY = "aftersales-photos"


def case_photo_path(instance, filename: str) -> str:
    return checked_document_path(PHOTO_DIRECTORY, filename)


class CaseKind(models.TextChoices):
    CANCEL = "cancel", _("取消订单")
    REFUND_ONLY = "refund_only", _("仅退款")
    RETURN_REFUND = "return_refund", _("退货退款")


class CaseStatus(models.TextChoices):
    REQUESTED = "requested", _("待卖家处理")
    REJECTED = "rejected", _("卖家已拒绝")
    ESCALATED = "escalated", _("平台介入中")
    ACCEPTED = "accepted", _("已同意")
    RETURNING = "returning", _("买家已寄回")
    RECEIVED = "received", _("卖家已收到退货")
    REFUNDED = "refunded", _("已退款")
    CLOSED = "closed", _("已关闭")


class CaseReason(models.TextChoices):
    NOT_AS_DESCRIBED = "not_as_described", _("与描述或图片不符")
    DAMAGED = "damaged", _("破损、变质")
    WRONG_ITEM = "wrong_item", _("发错货、少发")
    QUALITY = "quality", _("质量问题")
    NOT_RECEIVED = "not_received", _("未收到货")
    CHANGED_MIND = "changed_mind", _("不想要了")
    OTHER = "other", _("其他")


class AfterSalesCase(models.Model):
    order = models.ForeignKey(
        "order.Order",
        verbose_name=_("订单"),
        on_delete=models.PROTECT,
        related_name="aftersales_cases",
    )
    # A cancellation covers the whole order; a request one line.
    line = models.ForeignKey(
        "order.Line",
        verbose_name=_("订单行"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aftersales_cases",
    )
    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aftersales_cases",
    )
    kind = models.CharField(_("类型"), max_length=16, choices=CaseKind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices)
    quantity = models.PositiveIntegerField(_("数量"), default=0)
    amount = models.DecimalField(_("退款金额（元）"), **MONEY)
    reason = models.CharField(_("原因"), max_length=32, choices=CaseReason.choices, blank=True)
    description = models.TextField(_("问题描述"), blank=True)
    respond_by = models.DateTimeField(_("卖家处理期限"), null=True, blank=True)
    return_carrier = models.CharField(_("退货快递公司"), max_length=64, blank=True)
    return_tracking_number = models.CharField(_("退货运单号"), max_length=64, blank=True)
    stripe_refund = models.OneToOneField(
        "payments.StripeRefund",
        verbose_name=_("银行卡退款"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aftersales_case",
    )
    bank_refund = models.OneToOneField(
        "payments.BankTransferRefund",
        verbose_name=_("银行转账退款"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aftersales_case",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("售后单")
        verbose_name_plural = _("售后单")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="aftersales_amount_gte_0"),
            models.CheckConstraint(
                condition=(
                    Q(kind=CaseKind.CANCEL, line__isnull=True)
                    | (~Q(kind=CaseKind.CANCEL) & Q(line__isnull=False, quantity__gt=0))
                ),
                name="aftersales_request_names_line_and_quantity",
            ),
            models.CheckConstraint(
                condition=Q(stripe_refund__isnull=True) | Q(bank_refund__isnull=True),
                name="aftersales_refunded_one_way",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_return(self) -> bool:
        return self.kind == CaseKind.RETURN_REFUND


class CaseLog(TransitionLog):
    case = models.ForeignKey(
        AfterSalesCase,
        verbose_name=_("售后单"),
        on_delete=models.CASCADE,
        related_name="log",
    )
    # Empty when the system took the step (a deadline passed).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("售后记录")
        verbose_name_plural = _("售后记录")


class CasePhoto(models.Model):
    case = models.ForeignKey(
        AfterSalesCase,
        verbose_name=_("售后单"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.FileField(_("照片"), upload_to=case_photo_path, storage=private_storage)

    class Meta:
        verbose_name = _("售后照片")
        verbose_name_plural = _("售后照片")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.case_id}: {self.image.name}"
