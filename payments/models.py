from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Oscar's PaymentEvent and Source hold amounts as 12 digits with 2 decimals.
MONEY = {"max_digits": 12, "decimal_places": 2}
BANK_REFERENCE_MAX_LENGTH = 64


class BankReceipt(models.Model):
    """A bank transfer staff saw arrive (到账), booked against one order with
    the bank's serial number (流水号). A serial is booked once per kind of
    payment source: the same receipt cannot pay two orders, or one twice."""

    order = models.ForeignKey(
        "order.Order",
        verbose_name=_("订单"),
        on_delete=models.PROTECT,
        related_name="bank_receipts",
    )
    source_type = models.ForeignKey(
        "payment.SourceType",
        verbose_name=_("支付方式"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reference = models.CharField(_("银行流水号"), max_length=BANK_REFERENCE_MAX_LENGTH)
    amount = models.DecimalField(_("到账金额（元）"), **MONEY)
    received_on = models.DateField(_("到账日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    payment_event = models.OneToOneField(
        "order.PaymentEvent",
        verbose_name=_("支付事件"),
        on_delete=models.PROTECT,
        related_name="bank_receipt",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("银行收款")
        verbose_name_plural = _("银行收款")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "reference"],
                name="bank_receipt_reference_once_per_source_type",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="bank_receipt_amount_gt_0"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.amount}"


class BankRefundStatus(models.TextChoices):
    OWED = "owed", _("待退款")
    SETTLED = "settled", _("已退款")


class BankRefundKind(models.TextChoices):
    OVERPAYMENT = "overpayment", _("多付退款")
    AFTERSALES = "aftersales", _("售后退款")


class BankTransferRefund(models.Model):
    """Money owed back to a buyer who paid by bank transfer: either received
    beyond an order's total (多付, made by the receipt that overpaid) or
    granted by an after-sales case (售后: a cancellation, a refund; the case
    links to it). Settled when staff record the bank reference of the refund
    they sent."""

    kind = models.CharField(
        _("退款类型"),
        max_length=16,
        choices=BankRefundKind.choices,
        default=BankRefundKind.OVERPAYMENT,
    )
    receipt = models.OneToOneField(
        BankReceipt,
        verbose_name=_("银行收款"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refund",
    )
    order = models.ForeignKey(
        "order.Order",
        verbose_name=_("订单"),
        on_delete=models.PROTECT,
        related_name="bank_transfer_refunds",
    )
    amount = models.DecimalField(_("应退金额（元）"), **MONEY)
    status = models.CharField(
        _("退款状态"),
        max_length=16,
        choices=BankRefundStatus.choices,
        default=BankRefundStatus.OWED,
    )
    reference = models.CharField(_("退款流水号"), max_length=BANK_REFERENCE_MAX_LENGTH, blank=True)
    refunded_on = models.DateField(_("退款日期"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("退款登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("产生时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("银行转账退款")
        verbose_name_plural = _("银行转账退款")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="bank_transfer_refund_amount_gt_0"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=BankRefundStatus.OWED, reference="", refunded_on__isnull=True)
                    | (
                        Q(status=BankRefundStatus.SETTLED, refunded_on__isnull=False)
                        & ~Q(reference="")
                    )
                ),
                name="bank_transfer_refund_settled_with_reference_and_date",
            ),
            # An overpayment is made by the receipt that overpaid; an
            # after-sales refund by its case, never by a receipt.
            models.CheckConstraint(
                condition=(
                    Q(kind=BankRefundKind.OVERPAYMENT, receipt__isnull=False)
                    | Q(kind=BankRefundKind.AFTERSALES, receipt__isnull=True)
                ),
                name="bank_transfer_refund_receipt_for_overpayment_only",
            ),
        ]

    def __str__(self):
        return f"{self.order_id}: {self.amount} ({self.status})"

    @property
    def is_settled(self) -> bool:
        return self.status == BankRefundStatus.SETTLED


class StripePaymentStatus(models.TextChoices):
    OPEN = "open", _("待付款")
    SUCCEEDED = "succeeded", _("已付款")
    CANCELLED = "cancelled", _("已作废")


class StripePayment(models.Model):
    """One Stripe PaymentIntent for an order. An order has one open intent
    at a time; a declined card replaces it with a fresh one (the order stays
    the same), and at most one ever succeeds."""

    order = models.ForeignKey(
        "order.Order",
        verbose_name=_("订单"),
        on_delete=models.PROTECT,
        related_name="stripe_payments",
    )
    intent_id = models.CharField(_("Stripe 支付意图"), max_length=255, unique=True)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    currency = models.CharField(_("币种"), max_length=3)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=StripePaymentStatus.choices,
        default=StripePaymentStatus.OPEN,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("Stripe 付款")
        verbose_name_plural = _("Stripe 付款")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="stripe_payment_amount_gt_0"),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status="succeeded"),
                name="stripe_payment_succeeds_once_per_order",
            ),
        ]

    def __str__(self):
        return f"{self.intent_id}: {self.amount} ({self.status})"


class StripeEvent(models.Model):
    """A webhook event handled once: Stripe delivers at least once, and a
    replayed or duplicate delivery finds its id here and changes nothing."""

    event_id = models.CharField(_("事件编号"), max_length=255, unique=True)
    event_type = models.CharField(_("事件类型"), max_length=100)
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("Stripe 事件")
        verbose_name_plural = _("Stripe 事件")
        ordering = ["received_at", "pk"]

    def __str__(self):
        return f"{self.event_id} ({self.event_type})"


class StripeRefund(models.Model):
    """Money sent back through Stripe for a card payment, whether we asked
    for it (``payments.services.stripe_refund_create``) or staff did in
    Stripe's dashboard (recorded from the ``charge.refunded`` webhook)."""

    payment = models.ForeignKey(
        StripePayment,
        verbose_name=_("Stripe 付款"),
        on_delete=models.PROTECT,
        related_name="refunds",
    )
    order = models.ForeignKey(
        "order.Order",
        verbose_name=_("订单"),
        on_delete=models.PROTECT,
        related_name="stripe_refunds",
    )
    refund_id = models.CharField(_("Stripe 退款编号"), max_length=255, unique=True)
    idempotency_key = models.CharField(_("幂等键"), max_length=255, blank=True)
    amount = models.DecimalField(_("退款金额（元）"), **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("退款时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("Stripe 退款")
        verbose_name_plural = _("Stripe 退款")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="stripe_refund_amount_gt_0"),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="stripe_refund_idempotency_key_once",
            ),
        ]

    def __str__(self):
        return f"{self.refund_id}: {self.amount}"
