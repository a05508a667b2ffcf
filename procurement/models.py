from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel, TransitionLog
from common.storage import private_storage
from common.uploads import checked_document_path
from common.validators import normalise_uscc, validate_single_line, validate_uscc

CENT = Decimal("0.01")
MONEY = {"max_digits": 14, "decimal_places": 2}
# Freight is a small part of a contract: the column holds less than ¥100 million,
# so no typo or hostile figure of billions can be stored. What one contract may
# carry is procurement.rules.freight_limit_for (the configured cap and share of
# its goods, which must fit here: check procurement.E004).
FREIGHT = {"max_digits": 10, "decimal_places": 2}
RATIO = {"max_digits": 5, "decimal_places": 4}
# A contract's daily late interest is stored as a ratio with this many places
# (0.000500 is 0.05% a day); the terms form types it as a percent with two fewer.
INTEREST_RATE_PLACES = 6
# Public buyers pay small suppliers within 30 days of acceptance, at most 60
# where the contract agrees (保障中小企业款项支付条例); at least a day, so that
# a contract is never overdue the day after it is accepted. The contract
# constraint, the terms form and service, and the start-up check of
# PROCUREMENT_PAYMENT_DAYS (procurement/checks.py) all use this range.
PAYMENT_DAYS_MIN = 1
PAYMENT_DAYS_MAX = 60


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def evidence_path(instance, filename: str) -> str:
    # Invoices and receipts pass the same content checks as producers' documents
    # and are stored, like them, privately under names the server chose.
    return checked_document_path(f"procurement/{instance._meta.model_name}", filename)


# Units in these states hold their 统一社会信用代码; a rejected one releases it.
USCC_HOLDING_STATUSES = ["pending", "active"]


class BuyerOrganisation(TimeStampedModel):
    """A buyer: agency, public institution, SOE or trade union (采购单位)."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("党政机关")
        INSTITUTION = "institution", _("事业单位")
        SOE = "soe", _("国有企业")
        UNION = "union", _("工会")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACTIVE = "active", _("已开通")
        REJECTED = "rejected", _("未通过")
        WITHDRAWN = "withdrawn", _("已撤回")

    kind = models.CharField(_("单位类型"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("单位名称"), max_length=128, validators=[validate_single_line])
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, validators=[validate_uscc])
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在地区"),
        on_delete=models.PROTECT,
        related_name="buyer_organisations",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("主管预算单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    union_of = models.ForeignKey(
        "self",
        verbose_name=_("所属单位（工会）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unions",
        help_text=_("工会的采购计入所属单位的完成额。"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_sample = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("采购单位")
        verbose_name_plural = _("采购单位")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(union_of__isnull=True) | Q(kind="union"),
                name="buyer_org_only_unions_attach",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")) & ~Q(union_of=F("pk")),
                name="buyer_org_not_own_parent",
            ),
            # A rejected application releases its code: nobody squats on a
            # unit's identity by filing (and losing) an application first.
            models.UniqueConstraint(
                fields=["uscc"],
                condition=Q(status__in=USCC_HOLDING_STATUSES),
                name="buyer_org_uscc_held_once",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.uscc = normalise_uscc(self.uscc)
        errors = {}
        if self.union_of_id and self.kind != self.Kind.UNION:
            errors["union_of"] = _("只有工会可以挂靠所属单位。")
        if self.pk and self.union_of_id == self.pk:
            errors["union_of"] = _("不能挂靠本单位自身。")
        if self.pk and self.parent_id:
            node = self.parent
            while node is not None:
                if node.pk == self.pk:
                    errors["parent"] = _("上级单位不能是本单位或其下级单位。")
                    break
                node = node.parent
        if errors:
            raise ValidationError(errors)


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        PURCHASER = "purchaser", _("采购人")
        APPROVER = "approver", _("审批人")
        FINANCE = "finance", _("财务")
        ADMIN = "admin", _("单位管理员")

    organisation = models.ForeignKey(
        BuyerOrganisation,
        verbose_name=_("采购单位"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="procurement_memberships",
    )
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("单位成员")
        verbose_name_plural = _("单位成员")
        ordering = ["organisation", "user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self):
        return f"{self.organisation} · {self.user} · {self.get_role_display()}"


class ReserveRatioRule(TimeStampedModel):
    """Minimum reserved share for a year, nationally (no province) or for one province."""

    year = models.PositiveSmallIntegerField(_("年度"))
    province = models.ForeignKey(
        "regions.Region",
        verbose_name=_("省份"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
        help_text=_("留空表示全国通用。"),
    )
    minimum_ratio = models.DecimalField(
        _("最低预留比例"),
        **RATIO,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("例如 0.1000 表示 10%。"),
    )

    class Meta:
        verbose_name = _("预留比例规则")
        verbose_name_plural = _("预留比例规则")
        ordering = ["-year", "province__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "province"], name="ratio_rule_unique_per_province"
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(province__isnull=True),
                name="ratio_rule_unique_national",
            ),
            models.CheckConstraint(
                condition=Q(minimum_ratio__gte=0, minimum_ratio__lte=1),
                name="ratio_rule_ratio_range",
            ),
        ]

    def __str__(self):
        where = self.province.name if self.province_id else _("全国")
        return f"{self.year} {where} {self.minimum_ratio:.2%}"

    def clean(self):
        super().clean()
        if self.province_id and self.province.level != "province":
            raise ValidationError({"province": _("请选择省级行政区划。")})


class UsccContest(TimeStampedModel):
    """A claim that a unit's 统一社会信用代码 is held by someone else (代码争议).

    Whoever finds the code of their unit taken by an application or a unit they
    do not belong to files a claim; programme staff check it off the platform
    and either uphold it (the holder's application or unit is rejected, which
    releases the code) or dismiss it, with a note the claimant reads."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        UPHELD = "upheld", _("已支持，代码已释放")
        DISMISSED = "dismissed", _("未支持")

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, validators=[validate_uscc])
    holder = models.ForeignKey(
        BuyerOrganisation,
        verbose_name=_("占用该代码的单位"),
        on_delete=models.PROTECT,
        related_name="uscc_contests",
    )
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申诉人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    claimant_unit_name = models.CharField(
        _("申诉单位名称"), max_length=128, validators=[validate_single_line]
    )
    statement = models.TextField(_("情况说明"), max_length=2000)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolution_note = models.TextField(_("处理意见"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("信用代码争议")
        verbose_name_plural = _("信用代码争议")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open claim per person and code: a second submit is a duplicate.
            models.UniqueConstraint(
                fields=["uscc", "claimant"],
                condition=Q(status="open"),
                name="uscc_contest_open_once_per_claimant",
            ),
            models.CheckConstraint(
                condition=Q(status="open", resolved_at__isnull=True)
                | (~Q(status="open") & Q(resolved_at__isnull=False)),
                name="uscc_contest_resolved_iff_closed",
            ),
        ]

    def __str__(self):
        return f"{self.uscc} ({self.claimant_unit_name})"


class CanteenStatus(models.TextChoices):
    OWN = "own", _("自办食堂")
    SHARED = "shared", _("合用食堂（由牵头单位统一填报）")
    OUTSOURCED = "outsourced", _("外包食堂（承包方代为采购）")
    NONE = "none", _("无食堂")


class AnnualPlan(TimeStampedModel):
    """The unit's reserved-share plan for one year; its revisions keep every filing."""

    organisation = models.ForeignKey(
        BuyerOrganisation,
        verbose_name=_("采购单位"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    canteen_status = models.CharField(_("食堂情况"), max_length=12, choices=CanteenStatus.choices)
    represented_by = models.ForeignKey(
        BuyerOrganisation,
        verbose_name=_("牵头填报单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="represented_plans",
    )
    canteen_budget = models.DecimalField(_("年度食堂食材采购预算（元）"), **MONEY)
    reserve_ratio = models.DecimalField(_("预留比例"), **RATIO)
    union_purchasing = models.BooleanField(_("工会计划采购"), default=False)
    filing_deadline = models.DateField(_("填报截止日期"))
    revision = models.PositiveIntegerField(_("修订次数"), default=0)

    class Meta:
        verbose_name = _("年度预留份额计划")
        verbose_name_plural = _("年度预留份额计划")
        ordering = ["-year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="plan_one_per_year"),
            models.CheckConstraint(condition=Q(canteen_budget__gte=0), name="plan_budget_gte_0"),
            models.CheckConstraint(
                condition=Q(reserve_ratio__gte=0, reserve_ratio__lte=1), name="plan_ratio_range"
            ),
            models.CheckConstraint(
                condition=Q(canteen_status="shared", represented_by__isnull=False)
                | (~Q(canteen_status="shared") & Q(represented_by__isnull=True)),
                name="plan_shared_has_representative",
            ),
            models.CheckConstraint(
                condition=~Q(canteen_status__in=["none", "shared"]) | Q(canteen_budget=0),
                name="plan_no_own_quota_has_no_budget",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} {self.year}"

    @property
    def target_amount(self) -> Decimal:
        return money(self.canteen_budget * self.reserve_ratio)


class PlanRevision(models.Model):
    """One filing of a plan, as it was; never changed afterwards."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("版本"))
    canteen_status = models.CharField(_("食堂情况"), max_length=12, choices=CanteenStatus.choices)
    represented_by = models.ForeignKey(
        BuyerOrganisation,
        verbose_name=_("牵头填报单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    canteen_budget = models.DecimalField(_("年度食堂食材采购预算（元）"), **MONEY)
    reserve_ratio = models.DecimalField(_("预留比例"), **RATIO)
    union_purchasing = models.BooleanField(_("工会计划采购"), default=False)
    reason = models.TextField(_("修订说明"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("计划填报记录")
        verbose_name_plural = _("计划填报记录")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_revision_unique_number")
        ]

    def __str__(self):
        return f"{self.plan} v{self.number}"

    @property
    def target_amount(self) -> Decimal:
        return money(self.canteen_budget * self.reserve_ratio)


class PriceBreak(TimeStampedModel):
    """A lower unit price for bulk quantities of one stock record (阶梯价)."""

    stockrecord = models.ForeignKey(
        "partner.StockRecord",
        verbose_name=_("库存记录"),
        on_delete=models.CASCADE,
        related_name="price_breaks",
    )
    min_quantity = models.PositiveIntegerField(_("起订数量"))
    unit_price = models.DecimalField(_("单价（元）"), **MONEY)

    class Meta:
        verbose_name = _("批量阶梯价")
        verbose_name_plural = _("批量阶梯价")
        ordering = ["stockrecord", "min_quantity"]
        constraints = [
            models.UniqueConstraint(
                fields=["stockrecord", "min_quantity"], name="price_break_unique_quantity"
            ),
            models.CheckConstraint(condition=Q(min_quantity__gte=2), name="price_break_min_qty"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="price_break_price_gt_0"),
        ]

    def __str__(self):
        return f"≥{self.min_quantity} ¥{self.unit_price}"


class PaymentTerms(models.TextChoices):
    PAY_FIRST = "pay_first", _("先款后货")
    GOODS_FIRST = "goods_first", _("先货后款")


class PurchaseOrder(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审批")
        APPROVED = "approved", _("已审批")
        REJECTED = "rejected", _("审批未通过")

    organisation = models.ForeignKey(
        BuyerOrganisation,
        verbose_name=_("采购单位"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    number = models.CharField(_("采购单号"), max_length=32, unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    purchaser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("采购人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivery_address = models.TextField(_("收货地址"))
    requested_delivery_date = models.DateField(_("要求到货日期"))
    payment_terms = models.CharField(_("付款方式"), max_length=12, choices=PaymentTerms.choices)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        related_name="+",
        blank=True,
        help_text=_("创建、修改或提交过该采购单的人；他们都不能审批它（procurement.rules）。"),
    )

    class Meta:
        verbose_name = _("采购单")
        verbose_name_plural = _("采购单")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approver__isnull=True) | ~Q(approver=F("purchaser")),
                name="order_purchaser_is_not_approver",
            )
        ]

    def __str__(self):
        return self.number


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(
        PurchaseOrder, verbose_name=_("采购单"), on_delete=models.CASCADE, related_name="lines"
    )
    stockrecord = models.ForeignKey(
        "partner.StockRecord",
        verbose_name=_("库存记录"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    product = models.ForeignKey(
        "catalogue.Product", verbose_name=_("商品"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("数量"))
    unit_price = models.DecimalField(
        _("单价（元）"), **MONEY, null=True, blank=True, help_text=_("提交时锁定。")
    )
    price_break_min_quantity = models.PositiveIntegerField(
        _("所用阶梯价起订数量"),
        null=True,
        blank=True,
        help_text=_("单价来自哪一档阶梯价；为空表示按零售价。"),
    )
    is_preorder = models.BooleanField(
        _("预订"),
        default=False,
        help_text=_("超出现有库存的数量按预订下单：供应商补足库存后才能确认合同。"),
    )

    class Meta:
        verbose_name = _("采购单明细")
        verbose_name_plural = _("采购单明细")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "stockrecord"], name="order_line_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_qty_gte_1"),
        ]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"


class ContractStatus(models.TextChoices):
    AWAITING = "awaiting", _("待供应商确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("供应商已拒绝")
    SHIPPED = "shipped", _("已发货")
    ACCEPTED = "accepted", _("已验收")
    SETTLED = "settled", _("已结清")
    # Both parties agreed to end a confirmed contract before delivery
    # (ContractCancellation); its stock allocation was released.
    CANCELLED = "cancelled", _("已协议解除")


OPEN_CONTRACT_STATUSES = (ContractStatus.AWAITING, ContractStatus.CONFIRMED, ContractStatus.SHIPPED)
COUNTED_CONTRACT_STATUSES = (ContractStatus.ACCEPTED, ContractStatus.SETTLED)


class Contract(TimeStampedModel):
    """One producer's share of an approved order (合同)."""

    order = models.ForeignKey(
        PurchaseOrder, verbose_name=_("采购单"), on_delete=models.PROTECT, related_name="contracts"
    )
    organisation = models.ForeignKey(
        BuyerOrganisation,
        verbose_name=_("采购单位"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    counting_unit = models.ForeignKey(
        BuyerOrganisation,
        verbose_name=_("计入单位"),
        on_delete=models.PROTECT,
        related_name="counted_contracts",
        help_text=_("工会采购计入所属单位。"),
    )
    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("供应商"),
        on_delete=models.PROTECT,
        related_name="procurement_contracts",
    )
    number = models.CharField(_("合同编号"), max_length=40, unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ContractStatus.choices, default=ContractStatus.AWAITING
    )
    payment_terms = models.CharField(_("付款方式"), max_length=12, choices=PaymentTerms.choices)
    goods_amount = models.DecimalField(_("货款金额（元）"), **MONEY)
    freight = models.DecimalField(
        _("运费（元）"),
        **FREIGHT,
        default=Decimal("0.00"),
        help_text=_("供应商申请、采购人同意后才会变更（ContractAmendment）。"),
    )
    payment_days = models.PositiveSmallIntegerField(_("验收后付款期限（天）"))
    daily_interest_rate = models.DecimalField(
        _("逾期日利率"),
        max_digits=7,
        decimal_places=INTEREST_RATE_PLACES,
        help_text=_("例如 0.000500 表示每日 0.05%。"),
    )
    carrier = models.CharField(_("承运商"), max_length=64, blank=True)
    tracking_number = models.CharField(_("运单号"), max_length=64, blank=True)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    accepted_amount = models.DecimalField(_("验收金额（元）"), **MONEY, null=True, blank=True)
    due_date = models.DateField(_("付款到期日"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("供应商评价"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    acceptance_notes = models.TextField(_("验收意见"), blank=True)

    class Meta:
        verbose_name = _("采购合同")
        verbose_name_plural = _("采购合同")
        ordering = ["-created_at"]
        indexes = [
            # The oversight figures' hot filters: counted contracts by acceptance
            # date (status IN accepted/settled, accepted_on in a period) and
            # overdue ones (status accepted, due_date before a day).
            models.Index(fields=["status", "accepted_on"], name="contract_status_accepted_on"),
            models.Index(fields=["status", "due_date"], name="contract_status_due_date"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["order", "producer"], name="contract_one_per_producer"),
            models.CheckConstraint(condition=Q(freight__gte=0), name="contract_freight_gte_0"),
            models.CheckConstraint(
                condition=Q(payment_days__gte=PAYMENT_DAYS_MIN, payment_days__lte=PAYMENT_DAYS_MAX),
                name="contract_payment_days_legal_range",
            ),
            models.CheckConstraint(
                condition=Q(daily_interest_rate__gte=0), name="contract_interest_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="contract_rating_range",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "settled"])
                | Q(
                    accepted_on__isnull=False, accepted_amount__isnull=False, due_date__isnull=False
                ),
                name="contract_accepted_has_figures",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def payable_amount(self) -> Decimal | None:
        if self.accepted_amount is None:
            return None
        return self.accepted_amount + self.freight


class AmendmentKind(models.TextChoices):
    """The contract terms a supplier may ask to change after the buyer approved
    the order; each names the contract field it changes (``field_name``)."""

    FREIGHT = "freight", _("运费")


AMENDED_FIELDS = {AmendmentKind.FREIGHT: "freight"}


class AmendmentStatus(models.TextChoices):
    PENDING = "pending", _("待采购人确认")
    ACCEPTED = "accepted", _("采购人已同意")
    DECLINED = "declined", _("采购人未同意")
    WITHDRAWN = "withdrawn", _("供应商已撤回")


class ContractAmendment(TimeStampedModel):
    """A change to an approved contract's terms, asked for by its supplier (变更申请).

    The contract keeps its agreed value until the buyer's purchaser accepts; a
    declined or withdrawn amendment changes nothing. Each step is also a
    ``ContractTransition`` row. Values are in the kind's unit (yuan for freight).
    """

    contract = models.ForeignKey(
        Contract, verbose_name=_("合同"), on_delete=models.CASCADE, related_name="amendments"
    )
    kind = models.CharField(_("变更事项"), max_length=16, choices=AmendmentKind.choices)
    old_value = models.DecimalField(_("原约定"), **FREIGHT)
    proposed_value = models.DecimalField(_("申请变更为"), **FREIGHT)
    reason = models.TextField(_("变更理由"))
    status = models.CharField(
        _("状态"), max_length=10, choices=AmendmentStatus.choices, default=AmendmentStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_note = models.TextField(_("处理意见"), blank=True)

    class Meta:
        verbose_name = _("合同变更申请")
        verbose_name_plural = _("合同变更申请")
        ordering = ["contract", "-created_at", "-pk"]
        constraints = [
            # One open question to the buyer at a time: a second proposal could
            # otherwise be accepted on the strength of the first one's reason.
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(status="pending"),
                name="contract_amendment_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(old_value__gte=0, proposed_value__gte=0),
                name="contract_amendment_values_gte_0",
            ),
            models.CheckConstraint(
                condition=~Q(proposed_value=F("old_value")),
                name="contract_amendment_changes_the_value",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="contract_amendment_has_reason"),
            models.CheckConstraint(
                condition=Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="contract_amendment_decision_has_decider",
            ),
        ]

    def __str__(self):
        return (
            f"{self.contract} · {self.get_kind_display()} {self.old_value} → {self.proposed_value}"
        )

    @property
    def field_name(self) -> str:
        return AMENDED_FIELDS[AmendmentKind(self.kind)]

    @property
    def difference(self) -> Decimal:
        return self.proposed_value - self.old_value


class ContractParty(models.TextChoices):
    BUYER = "buyer", _("采购单位")
    SUPPLIER = "supplier", _("供应商")


class CancellationStatus(models.TextChoices):
    PENDING = "pending", _("待对方答复")
    AGREED = "agreed", _("对方已同意")
    REFUSED = "refused", _("对方未同意")
    WITHDRAWN = "withdrawn", _("提出方已撤回")


class ContractCancellation(TimeStampedModel):
    """One party's proposal to end a confirmed contract by agreement (协议解除).

    The other party agrees (the contract becomes cancelled and its stock
    allocation is released) or refuses (nothing changes); the proposer may
    withdraw it. Each step is also a ``ContractTransition`` row.
    """

    contract = models.ForeignKey(
        Contract, verbose_name=_("合同"), on_delete=models.CASCADE, related_name="cancellations"
    )
    proposed_by_party = models.CharField(_("提出方"), max_length=10, choices=ContractParty.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("解除理由"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=CancellationStatus.choices,
        default=CancellationStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    decision_note = models.TextField(_("答复意见"), blank=True)

    class Meta:
        verbose_name = _("合同协议解除")
        verbose_name_plural = _("合同协议解除")
        ordering = ["contract", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(status="pending"),
                name="contract_cancellation_one_pending",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="contract_cancellation_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="contract_cancellation_decision_has_decider",
            ),
        ]

    def __str__(self):
        return f"{self.contract} · {self.get_proposed_by_party_display()} · {self.get_status_display()}"

    @property
    def answering_party(self) -> str:
        """The party whose agreement the proposal waits for."""
        if self.proposed_by_party == ContractParty.BUYER:
            return ContractParty.SUPPLIER
        return ContractParty.BUYER


class ContractTransition(TransitionLog):
    """A contract's workflow log (procurement.workflows.CONTRACT_WORKFLOW)."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("合同"), on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("合同状态变更")
        verbose_name_plural = _("合同状态变更")


class OrderTransition(TransitionLog):
    """A purchase order's workflow log (procurement.workflows.ORDER_WORKFLOW)."""

    order = models.ForeignKey(
        PurchaseOrder,
        verbose_name=_("采购单"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("采购单状态变更")
        verbose_name_plural = _("采购单状态变更")


class ContractLine(models.Model):
    contract = models.ForeignKey(
        Contract, verbose_name=_("合同"), on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.OneToOneField(
        PurchaseOrderLine,
        verbose_name=_("采购单明细"),
        on_delete=models.PROTECT,
        related_name="contract_line",
    )
    stockrecord = models.ForeignKey(
        "partner.StockRecord",
        verbose_name=_("库存记录"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    product = models.ForeignKey(
        "catalogue.Product", verbose_name=_("商品"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("合同数量"))
    unit_price = models.DecimalField(_("单价（元）"), **MONEY)
    price_break_min_quantity = models.PositiveIntegerField(
        _("所用阶梯价起订数量"),
        null=True,
        blank=True,
        help_text=_("单价来自哪一档阶梯价；为空表示按零售价。"),
    )
    received_quantity = models.PositiveIntegerField(_("实收数量"), null=True, blank=True)
    accepted_quantity = models.PositiveIntegerField(_("验收合格数量"), null=True, blank=True)
    rejected_quantity = models.PositiveIntegerField(_("拒收数量"), null=True, blank=True)
    notes = models.CharField(_("验收备注"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("合同明细")
        verbose_name_plural = _("合同明细")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_quantity__isnull=True)
                | Q(
                    received_quantity__lte=F("quantity"),
                    accepted_quantity__isnull=False,
                    rejected_quantity__isnull=False,
                    received_quantity=F("accepted_quantity") + F("rejected_quantity"),
                ),
                name="contract_line_acceptance_adds_up",
            ),
        ]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"

    @property
    def amount(self) -> Decimal:
        return money(self.quantity * self.unit_price)

    @property
    def accepted_amount(self) -> Decimal | None:
        if self.accepted_quantity is None:
            return None
        return money(self.accepted_quantity * self.unit_price)


class Invoice(models.Model):
    contract = models.ForeignKey(
        Contract, verbose_name=_("合同"), on_delete=models.PROTECT, related_name="invoices"
    )
    number = models.CharField(_("发票号码"), max_length=32)
    issued_on = models.DateField(_("开票日期"))
    amount = models.DecimalField(_("发票金额（元）"), **MONEY)
    scan = models.FileField(
        _("发票扫描件"), max_length=200, upload_to=evidence_path, storage=private_storage
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("发票")
        verbose_name_plural = _("发票")
        ordering = ["issued_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="invoice_unique_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="invoice_amount_gt_0"),
        ]

    def __str__(self):
        return self.number


class Payment(models.Model):
    contract = models.ForeignKey(
        Contract, verbose_name=_("合同"), on_delete=models.PROTECT, related_name="payments"
    )
    reference = models.CharField(_("银行转账流水号"), max_length=64)
    paid_on = models.DateField(_("付款日期"))
    amount = models.DecimalField(_("付款金额（元）"), **MONEY)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("付款记录")
        verbose_name_plural = _("付款记录")
        ordering = ["paid_on", "pk"]
        indexes = [
            # Payments made in a period (settlement figures) and each contract's
            # payments in date order (late interest, its last payment).
            models.Index(fields=["paid_on"], name="payment_paid_on"),
            models.Index(fields=["contract", "paid_on"], name="payment_contract_paid_on"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["contract", "reference"], name="payment_unique_ref"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_gt_0"),
        ]

    def __str__(self):
        return self.reference


class ContractRefund(models.Model):
    """Money a producer owes back: a pay-first contract paid before delivery
    for more than was accepted (退款). Created at acceptance; settled when the
    buyer's finance records the refund's bank reference."""

    contract = models.OneToOneField(
        Contract, verbose_name=_("合同"), on_delete=models.PROTECT, related_name="refund"
    )
    amount = models.DecimalField(_("应退金额（元）"), **MONEY)
    reference = models.CharField(_("退款流水号"), max_length=64, blank=True)
    refunded_on = models.DateField(_("退款日期"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("产生时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("合同退款")
        verbose_name_plural = _("合同退款")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_gt_0"),
            models.CheckConstraint(
                condition=(Q(reference="") & Q(refunded_on__isnull=True))
                | (~Q(reference="") & Q(refunded_on__isnull=False)),
                name="refund_settled_with_reference_and_date",
            ),
        ]

    def __str__(self):
        return f"{self.contract_id}: {self.amount}"

    @property
    def is_settled(self) -> bool:
        return self.refunded_on is not None


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("待核实")
    VERIFIED = "verified", _("已核实")
    REJECTED = "rejected", _("未通过核实")


class OffPlatformPurchase(TimeStampedModel):
    """A purchase made outside the platform; counts only once staff verify it.

    Never edited or deleted: a correction is a new record pointing at the old one,
    and a verified correction replaces the old record in the totals.
    """

    class Channel(models.TextChoices):
        DIRECT = "direct", _("直接向认定供应商采购")
        CONTRACTOR = "contractor", _("食堂承包方采购")

    organisation = models.ForeignKey(
        BuyerOrganisation,
        verbose_name=_("采购单位"),
        on_delete=models.PROTECT,
        related_name="off_platform_purchases",
    )
    channel = models.CharField(_("采购方式"), max_length=12, choices=Channel.choices)
    supplier_name = models.CharField(_("供应商名称"), max_length=128)
    origin_county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("产地县"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
    )
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    purchased_on = models.DateField(_("采购日期"))
    category = models.CharField(_("品类"), max_length=64)
    evidence = models.FileField(
        _("凭证扫描件"), max_length=200, upload_to=evidence_path, storage=private_storage
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    correction_reason = models.TextField(_("更正原因"), blank=True)
    status = models.CharField(
        _("核实状态"),
        max_length=10,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    verification_note = models.TextField(_("核实意见"), blank=True)

    class Meta:
        verbose_name = _("平台外采购")
        verbose_name_plural = _("平台外采购")
        ordering = ["-purchased_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="off_platform_amount_gt_0"),
            # One live correction per record; a rejected one may be followed by another.
            models.UniqueConstraint(
                fields=["corrects"],
                condition=~Q(status="rejected"),
                name="off_platform_one_live_correction",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(verified_by__isnull=False),
                name="off_platform_decision_has_verifier",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
                name="off_platform_correction_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.supplier_name} ¥{self.amount} ({self.purchased_on})"


class HelpedSale(TimeStampedModel):
    """Sales a state-owned enterprise arranged for others (帮助销售额), kept apart
    from its own purchases."""

    organisation = models.ForeignKey(
        BuyerOrganisation,
        verbose_name=_("国有企业"),
        on_delete=models.PROTECT,
        related_name="helped_sales",
        limit_choices_to={"kind": BuyerOrganisation.Kind.SOE},
    )
    buyer_name = models.CharField(_("购买方"), max_length=128)
    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("供应商"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    sold_on = models.DateField(_("销售日期"))
    evidence = models.FileField(
        _("证明材料"), max_length=200, upload_to=evidence_path, storage=private_storage
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("帮助销售记录")
        verbose_name_plural = _("帮助销售记录")
        ordering = ["-sold_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="helped_sale_amount_gt_0"),
        ]

    def clean(self):
        super().clean()
        if self.organisation_id and self.organisation.kind != BuyerOrganisation.Kind.SOE:
            raise ValidationError({"organisation": _("帮助销售额只由国有企业填报。")})


class PairingKind(models.TextChoices):
    EAST_WEST = "east_west", _("东西部协作")
    DESIGNATED = "designated", _("定点帮扶")
    ENTERPRISE = "enterprise", _("万企兴万村")
    TRADE_UNION = "trade_union", _("工会专项")


class Pairing(TimeStampedModel):
    """A helper (one buyer unit, or every unit of a region) paired with the
    counties it helps, for a span of dates (结对帮扶). What the helper buys from
    those counties within the span is reported on its own
    (procurement.selectors.pairing_purchases)."""

    kind = models.CharField(_("结对类型"), max_length=12, choices=PairingKind.choices)
    name = models.CharField(_("结对名称"), max_length=128, validators=[validate_single_line])
    helper_unit = models.ForeignKey(
        BuyerOrganisation,
        verbose_name=_("帮扶单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    helper_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("帮扶地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="helper_pairings",
    )
    helped_counties = models.ManyToManyField(
        "regions.Region",
        verbose_name=_("受帮扶县"),
        related_name="helping_pairings",
        limit_choices_to={"level": "county"},
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("结对帮扶关系")
        verbose_name_plural = _("结对帮扶关系")
        ordering = ["kind", "name", "pk"]
        constraints = [
            # Exactly one helper side: a unit or a region, never both or neither.
            models.CheckConstraint(
                condition=Q(helper_unit__isnull=False, helper_region__isnull=True)
                | Q(helper_unit__isnull=True, helper_region__isnull=False),
                name="pairing_exactly_one_helper",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="pairing_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def helper(self):
        return self.helper_unit or self.helper_region
