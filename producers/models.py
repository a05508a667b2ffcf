from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel, TransitionLog
from common.storage import private_storage
from common.validators import (
    validate_bank_account_number,
    validate_food_production_licence,
    validate_mainland_mobile,
    validate_uscc,
)
from producers.uploads import application_document_path, certificate_scan_path, invoice_pdf_path
from regions.models import Region


class Producer(TimeStampedModel):
    """A seller from a formerly poor county, one-to-one with Oscar's Partner."""

    class Kind(models.TextChoices):
        COOPERATIVE = "cooperative", _("农民专业合作社")
        ENTERPRISE = "enterprise", _("企业")
        FAMILY_FARM = "family_farm", _("家庭农场")
        COMMUNITY_FACTORY = "community_factory", _("社区工厂")

    partner = models.OneToOneField(
        "partner.Partner",
        verbose_name=_("商城合作方"),
        on_delete=models.PROTECT,
        related_name="producer",
    )
    kind = models.CharField(_("主体类型"), max_length=20, choices=Kind.choices)
    uscc = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
    )
    county = models.ForeignKey(
        Region,
        verbose_name=_("所在县（区）"),
        on_delete=models.PROTECT,
        related_name="producers",
        limit_choices_to={"level": Region.Level.COUNTY},
    )
    introduction = models.TextField(_("简介"), blank=True)
    food_licence_number = models.CharField(
        _("食品生产许可证编号"),
        max_length=16,
        blank=True,
        validators=[validate_food_production_licence],
    )
    licensed_counties = models.ManyToManyField(
        Region,
        verbose_name=_("许可的其他产地县"),
        blank=True,
        related_name="+",
        limit_choices_to={"level": Region.Level.COUNTY},
        help_text=_("所在县之外、经核实可以标注为产地的县（如跨县收购基地）。"),
    )
    is_sample = models.BooleanField(
        _("示例数据"),
        default=False,
        help_text=_("由演示数据命令生成，在页面上标注为示例。"),
    )

    class Meta:
        verbose_name = _("生产主体")
        verbose_name_plural = _("生产主体")
        ordering = ["partner__name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.county_id and self.county.level != Region.Level.COUNTY:
            raise ValidationError({"county": _("请选择县级行政区划。")})

    @property
    def name(self) -> str:
        return self.partner.name

    def may_label_origin(self, county) -> bool:
        """A food label's origin must match the producer's licence region."""
        return county.pk == self.county_id or self.licensed_counties.filter(pk=county.pk).exists()


class Certificate(TimeStampedModel):
    """A certification or mark held by a producer for some of its products."""

    class Kind(models.TextChoices):
        POVERTY_ALLEVIATION_2020 = "poverty_2020", _("扶贫产品（2020 年目录）")
        CONSUMPTION_ASSISTANCE_2024 = "assistance_2024", _("消费帮扶产品（2024 年起）")
        GREEN_FOOD = "green", _("绿色食品")
        ORGANIC = "organic", _("有机产品")
        GEOGRAPHICAL_INDICATION = "gi", _("地理标志")
        COMPLIANCE_COMMITMENT = "commitment", _("承诺达标合格证")
        OTHER = "other", _("其他")

    producer = models.ForeignKey(
        Producer,
        verbose_name=_("生产主体"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    kind = models.CharField(_("认定类别"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("证书编号"), max_length=64)
    issuer = models.CharField(_("发证机关"), max_length=100)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"))
    products = models.ManyToManyField(
        "catalogue.Product",
        verbose_name=_("覆盖商品"),
        related_name="certificates",
        blank=True,
    )
    scan = models.FileField(
        _("证书扫描件"),
        max_length=200,
        upload_to=certificate_scan_path,
        storage=private_storage,
        blank=True,
    )

    class Meta:
        verbose_name = _("认定证书")
        verbose_name_plural = _("认定证书")
        ordering = ["valid_until"]
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "kind", "number"], name="certificate_number_unique_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="certificate_valid_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day <= self.valid_until


class CountyReviewer(TimeStampedModel):
    """A county official who recommends (推荐) producer applications of one county."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="county_reviewer_roles",
    )
    county = models.ForeignKey(
        Region,
        verbose_name=_("负责县（区）"),
        on_delete=models.PROTECT,
        related_name="reviewers",
        limit_choices_to={"level": Region.Level.COUNTY},
    )

    class Meta:
        verbose_name = _("县级审核人")
        verbose_name_plural = _("县级审核人")
        constraints = [
            models.UniqueConstraint(fields=["user", "county"], name="county_reviewer_unique"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.county}"

    def clean(self):
        super().clean()
        if self.county_id and self.county.level != Region.Level.COUNTY:
            raise ValidationError({"county": _("请选择县级行政区划。")})


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交，待县级推荐")
    COUNTY_RECOMMENDED = "county_recommended", _("县级已推荐，待平台审核")
    RETURNED = "returned", _("已退回修改")
    REJECTED = "rejected", _("未通过")
    APPROVED = "approved", _("已通过")


# While an application is in one of these states its USCC is taken: nobody
# else may apply with it. A rejected one frees the code for a new application.
USCC_HOLDING_STATUSES = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.COUNTY_RECOMMENDED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.APPROVED,
]


class ProducerApplication(TimeStampedModel):
    """An organisation's application to sell on the platform (入驻申请)."""

    Status = ApplicationStatus

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="producer_applications",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    kind = models.CharField(_("主体类型"), max_length=20, choices=Producer.Kind.choices)
    name = models.CharField(_("主体名称"), max_length=128)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, validators=[validate_uscc])
    county = models.ForeignKey(
        Region,
        verbose_name=_("所在县（区）"),
        on_delete=models.PROTECT,
        related_name="producer_applications",
        limit_choices_to={"level": Region.Level.COUNTY},
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=64)
    contact_name = models.CharField(_("联系人"), max_length=64)
    contact_mobile = models.CharField(
        _("联系人手机号"), max_length=11, validators=[validate_mainland_mobile]
    )
    bank_account_name = models.CharField(_("开户名称"), max_length=128)
    bank_name = models.CharField(_("开户银行"), max_length=128)
    bank_account_number = models.CharField(
        _("银行账号"), max_length=30, validators=[validate_bank_account_number]
    )
    sells_food = models.BooleanField(_("销售食品"), default=False)
    food_licence_number = models.CharField(
        _("食品生产许可证编号"),
        max_length=16,
        blank=True,
        validators=[validate_food_production_licence],
    )
    business_licence = models.FileField(
        _("营业执照"),
        max_length=200,
        upload_to=application_document_path,
        storage=private_storage,
    )
    food_licence_file = models.FileField(
        _("食品生产许可证"),
        max_length=200,
        upload_to=application_document_path,
        storage=private_storage,
        blank=True,
    )
    producer = models.OneToOneField(
        Producer,
        verbose_name=_("生产主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )

    class Meta:
        verbose_name = _("入驻申请")
        verbose_name_plural = _("入驻申请")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"],
                condition=Q(status__in=USCC_HOLDING_STATUSES),
                name="producer_application_uscc_held_once",
            ),
            models.CheckConstraint(
                condition=Q(sells_food=False)
                | (~Q(food_licence_number="") & ~Q(food_licence_file="")),
                name="producer_application_food_licence_when_selling_food",
            ),
            models.CheckConstraint(
                condition=Q(status=ApplicationStatus.APPROVED, producer__isnull=False)
                | (~Q(status=ApplicationStatus.APPROVED) & Q(producer__isnull=True)),
                name="producer_application_producer_iff_approved",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_status_display()}）"

    def clean(self):
        super().clean()
        errors = {}
        if self.county_id and self.county.level != Region.Level.COUNTY:
            errors["county"] = _("请选择县级行政区划。")
        if self.sells_food and not self.food_licence_number:
            errors["food_licence_number"] = _("销售食品的主体须填写食品生产许可证编号。")
        if self.sells_food and not self.food_licence_file:
            errors["food_licence_file"] = _("销售食品的主体须上传食品生产许可证。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_correctable(self) -> bool:
        return self.status in (ApplicationStatus.RETURNED, ApplicationStatus.REJECTED)

    @property
    def latest_reason(self) -> str:
        """The reason of the last return or rejection, shown to the applicant."""
        # Iterates .all() so that a prefetched decision log costs no query.
        reasons = [
            d.reason
            for d in self.decisions.all()
            if d.action in ApplicationDecision.REASONED_ACTIONS
        ]
        return reasons[-1] if reasons else ""


class ApplicationDecision(TransitionLog):
    """One step of an application's review, kept forever as its decision log
    (producers.workflows.APPLICATION_WORKFLOW)."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("提交申请")
        RESUBMIT = "resubmit", _("修改后重新提交")
        RECOMMEND = "recommend", _("县级推荐")
        RETURN = "return", _("退回修改")
        REJECT = "reject", _("不予通过")
        APPROVE = "approve", _("平台审核通过")

    REASONED_ACTIONS = [Action.RETURN, Action.REJECT]

    application = models.ForeignKey(
        ProducerApplication,
        verbose_name=_("入驻申请"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        constraints = [
            models.CheckConstraint(
                condition=~Q(action__in=["return", "reject"]) | ~Q(reason=""),
                name="application_decision_reason_for_return_or_reject",
            ),
        ]


# Figures are kept from the start of targeted poverty alleviation (精准扶贫) on.
MIN_LINKAGE_YEAR = 2014
MAX_LINKAGE_YEAR = 2100


class LinkageStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待核实")
    VERIFIED = "verified", _("已核实")
    RETURNED = "returned", _("已退回修改")


class BenefitLinkage(TimeStampedModel):
    """One year of a producer's benefit linkage (联农带农): formerly poor households
    (脱贫户) it supports, and how.

    A household may be reached by several mechanisms (it works in the workshop
    and also sells its produce to the cooperative), so the total is declared,
    not summed: it lies between the largest mechanism count and their sum.
    """

    producer = models.ForeignKey(
        Producer,
        verbose_name=_("生产主体"),
        on_delete=models.CASCADE,
        related_name="benefit_linkages",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    employment_households = models.PositiveIntegerField(_("务工就业带动户数"), default=0)
    employment_amount = models.DecimalField(
        _("务工工资（元）"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    asset_income_households = models.PositiveIntegerField(_("资产收益/分红带动户数"), default=0)
    asset_income_amount = models.DecimalField(
        _("资产收益/分红（元）"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    purchase_households = models.PositiveIntegerField(_("订单收购带动户数"), default=0)
    purchase_amount = models.DecimalField(
        _("收购金额（元）"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    total_households = models.PositiveIntegerField(
        _("带动脱贫户总数"),
        help_text=_("同一户可能同时通过几种方式受益，按户去重后填写。"),
    )
    # Where the figures stand in staff review (producers.workflows.LINKAGE_WORKFLOW);
    # is_verified, verified_by and verified_at stay the record shown to the public.
    status = models.CharField(
        _("核实状态"),
        max_length=16,
        choices=LinkageStatus.choices,
        default=LinkageStatus.SUBMITTED,
        db_index=True,
    )
    is_verified = models.BooleanField(_("已核实"), default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verified_benefit_linkages",
    )
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("联农带农数据")
        verbose_name_plural = _("联农带农数据")
        ordering = ["producer", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "year"],
                name="benefit_linkage_unique_per_year",
                violation_error_message=_("该生产主体本年度的联农带农数据已存在。"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_LINKAGE_YEAR, year__lte=MAX_LINKAGE_YEAR),
                name="benefit_linkage_year_range",
                violation_error_message=_("年度超出可填报范围。"),
            ),
            models.CheckConstraint(
                condition=Q(total_households__gte=F("employment_households"))
                & Q(total_households__gte=F("asset_income_households"))
                & Q(total_households__gte=F("purchase_households")),
                name="benefit_linkage_total_at_least_largest_mechanism",
                violation_error_message=_("带动脱贫户总数不能少于任一带动方式的户数。"),
            ),
            models.CheckConstraint(
                condition=Q(
                    total_households__lte=F("employment_households")
                    + F("asset_income_households")
                    + F("purchase_households")
                ),
                name="benefit_linkage_total_at_most_sum",
                violation_error_message=_("带动脱贫户总数不能多于各带动方式户数之和。"),
            ),
            models.CheckConstraint(
                condition=Q(employment_amount__gte=0)
                & Q(asset_income_amount__gte=0)
                & Q(purchase_amount__gte=0),
                name="benefit_linkage_amounts_not_negative",
                violation_error_message=_("金额不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(is_verified=False, verified_by__isnull=True, verified_at__isnull=True)
                | Q(is_verified=True, verified_by__isnull=False, verified_at__isnull=False),
                name="benefit_linkage_verified_by_and_at_iff_verified",
            ),
            models.CheckConstraint(
                condition=Q(status="verified", is_verified=True)
                | (~Q(status="verified") & Q(is_verified=False)),
                name="benefit_linkage_verified_status_iff_is_verified",
            ),
        ]

    def __str__(self):
        return f"{self.producer} · {self.year}"

    @property
    def return_reason(self) -> str:
        """Why staff last sent these figures back ("" unless they are returned)."""
        if self.status != LinkageStatus.RETURNED:
            return ""
        last = self.decisions.filter(action="return").order_by("-created_at", "-pk").first()
        return last.reason if last else ""

    def clean(self):
        super().clean()
        counts = [
            self.employment_households or 0,
            self.asset_income_households or 0,
            self.purchase_households or 0,
        ]
        if self.total_households is None:
            return
        if self.total_households < max(counts):
            raise ValidationError(
                {
                    "total_households": _(
                        "带动脱贫户总数不能少于任一带动方式的户数（%(count)s 户）。"
                    )
                    % {"count": max(counts)}
                }
            )
        if self.total_households > sum(counts):
            raise ValidationError(
                {
                    "total_households": _(
                        "带动脱贫户总数不能多于各带动方式户数之和（%(count)s 户）。"
                    )
                    % {"count": sum(counts)}
                }
            )


class BenefitLinkageDecision(TransitionLog):
    """One step of a year's figures through staff review (filed, verified,
    sent back with a reason, filed again), kept forever
    (producers.workflows.LINKAGE_WORKFLOW)."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("填报")
        RESUBMIT = "resubmit", _("修改后重新填报")
        VERIFY = "verify", _("平台核实")
        RETURN = "return", _("退回修改")

    linkage = models.ForeignKey(
        BenefitLinkage,
        verbose_name=_("联农带农数据"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("联农带农核实记录")
        verbose_name_plural = _("联农带农核实记录")
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="return") | ~Q(reason=""),
                name="linkage_decision_reason_for_return",
            ),
        ]


class Shipment(models.Model):
    """A producer's dispatch of its lines of one consumer order (发货), with the
    carrier and waybill number the buyer tracks it by."""

    class Carrier(models.TextChoices):
        SF = "sf", _("顺丰速运")
        EMS = "ems", _("中国邮政 EMS")
        JD = "jd", _("京东物流")
        ZTO = "zto", _("中通快递")
        YTO = "yto", _("圆通速递")
        STO = "sto", _("申通快递")
        YUNDA = "yunda", _("韵达速递")
        JT = "jt", _("极兔速递")
        OTHER = "other", _("其他")

    order = models.ForeignKey(
        "order.Order", verbose_name=_("订单"), on_delete=models.PROTECT, related_name="shipments"
    )
    producer = models.ForeignKey(
        Producer, verbose_name=_("生产主体"), on_delete=models.PROTECT, related_name="shipments"
    )
    carrier = models.CharField(_("承运商"), max_length=10, choices=Carrier.choices)
    tracking_number = models.CharField(_("运单号"), max_length=40)
    shipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发货人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发货时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("发货记录")
        verbose_name_plural = _("发货记录")
        ordering = ["-created_at"]
        constraints = [
            # Each producer ships its part of an order once; a second submit of
            # the same form must not create a second shipment.
            models.UniqueConstraint(
                fields=["order", "producer"], name="shipment_once_per_producer"
            ),
        ]

    def __str__(self):
        return f"{self.get_carrier_display()} {self.tracking_number}"


class CategoryProposal(TimeStampedModel):
    """A category a producer misses in the catalogue (类目申请), for staff to
    accept (creating it in Oscar's tree) or reject with a note."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        ACCEPTED = "accepted", _("已采纳")
        REJECTED = "rejected", _("未采纳")

    producer = models.ForeignKey(
        Producer,
        verbose_name=_("生产主体"),
        on_delete=models.PROTECT,
        related_name="category_proposals",
    )
    name = models.CharField(_("类目名称"), max_length=64)
    parent = models.ForeignKey(
        "catalogue.Category",
        verbose_name=_("建议上级类目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("申请理由"), max_length=1000)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
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
    note = models.TextField(_("处理意见"), max_length=1000, blank=True)
    category = models.ForeignKey(
        "catalogue.Category",
        verbose_name=_("新建类目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("类目申请")
        verbose_name_plural = _("类目申请")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open proposal per name: staff decide a missing category once.
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(status="pending"),
                name="category_proposal_one_pending_per_name",
            ),
            models.CheckConstraint(
                condition=Q(status="pending")
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="category_proposal_decided_has_decider",
            ),
        ]

    def __str__(self):
        return self.name


class InvoiceRequest(models.Model):
    """A buyer's request for an invoice (发票) for the lines one producer sold
    them in an order: an order that spans producers has one request per
    producer, since each invoices its own sales. The producer records it as
    issued with the invoice's number, date and PDF, which only the buyer, the
    producer's users and staff may read."""

    class TitleKind(models.TextChoices):
        PERSONAL = "personal", _("个人")
        COMPANY = "company", _("单位")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待开票")
        ISSUED = "issued", _("已开票")

    order = models.ForeignKey(
        "order.Order",
        verbose_name=_("订单"),
        on_delete=models.PROTECT,
        related_name="invoice_requests",
    )
    producer = models.ForeignKey(
        Producer,
        verbose_name=_("生产主体"),
        on_delete=models.PROTECT,
        related_name="invoice_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title_kind = models.CharField(_("抬头类型"), max_length=10, choices=TitleKind.choices)
    title = models.CharField(_("发票抬头"), max_length=100)
    tax_number = models.CharField(_("税号（统一社会信用代码）"), max_length=18, blank=True)
    email = models.EmailField(_("接收邮箱"))
    amount = models.DecimalField(_("开票金额（元）"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    invoice_number = models.CharField(_("发票号码"), max_length=40, blank=True)
    issued_on = models.DateField(_("开票日期"), null=True, blank=True)
    pdf = models.FileField(
        _("发票 PDF"), upload_to=invoice_pdf_path, storage=private_storage, blank=True
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("开票登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    issued_at = models.DateTimeField(_("登记时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("发票申请")
        verbose_name_plural = _("发票申请")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One request per order per producer: a second submission of the
            # form must not ask the producer twice.
            models.UniqueConstraint(
                fields=["order", "producer"], name="invoice_request_once_per_producer"
            ),
            models.CheckConstraint(
                condition=~Q(title_kind="company") | ~Q(tax_number=""),
                name="invoice_request_company_has_tax_number",
            ),
            models.CheckConstraint(
                condition=Q(status="requested", invoice_number="", issued_on__isnull=True)
                | (
                    Q(status="issued", issued_on__isnull=False) & ~Q(invoice_number="") & ~Q(pdf="")
                ),
                name="invoice_request_issued_with_number_date_and_pdf",
            ),
        ]

    def __str__(self):
        return f"{self.order_id}/{self.producer_id}: {self.get_status_display()}"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED
