import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct
from oscar.apps.catalogue.managers import ProductQuerySet as OscarProductQuerySet

from common.models import TimeStampedModel, TransitionLog
from common.storage import private_storage


class ReviewStatus(models.TextChoices):
    """A listing's place in platform review (商品审核). Only approved listings
    are visible to the public (see ``ProductQuerySet.visible_to_public``)."""

    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("已驳回")


class ProductQuerySet(OscarProductQuerySet):
    def visible_to_public(self):
        """What the public may see, find, review, wish for and buy: a public
        listing approved in platform review. A variant is reviewed with its
        parent, so it also needs its parent public and approved.

        ``Product.is_visible_to_public`` says the same for one product; staff
        and the producer's own users may preview more
        (``catalogue.selectors.product_is_previewable_by``)."""
        approved = ReviewStatus.APPROVED
        return self.filter(is_public=True).filter(
            Q(parent=None, review_status=approved)
            | Q(parent__is_public=True, parent__review_status=approved)
        )

    def browsable(self):
        # Oscar's own listings (range pages, recently viewed, stock alerts)
        # call this: the canonical products the public may see.
        return self.visible_to_public().filter(parent=None)

    def awaiting_review(self):
        return self.filter(parent=None, review_status=ReviewStatus.PENDING)


class Product(AbstractProduct):
    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        help_text=_("变体商品沿用父商品的生产主体。"),
    )
    origin_county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("产地（县）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
    )
    review_status = models.CharField(
        _("审核状态"),
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
        db_index=True,
    )
    review_reason = models.TextField(
        _("驳回原因"),
        blank=True,
        help_text=_("驳回时填写，生产主体可以看到。"),
    )

    objects = ProductQuerySet.as_manager()

    class Meta(AbstractProduct.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(structure="child")
                | Q(producer__isnull=False, origin_county__isnull=False),
                name="product_has_producer_and_origin",
            ),
        ]

    def clean(self):
        super().clean()
        if self.structure != self.CHILD:
            errors = {}
            if not self.producer_id:
                errors["producer"] = _("请选择生产主体。")
            if not self.origin_county_id:
                errors["origin_county"] = _("请选择产地县。")
            elif self.origin_county.level != "county":
                errors["origin_county"] = _("产地必须是县级行政区划。")
            if errors:
                raise ValidationError(errors)

    @property
    def is_visible_to_public(self) -> bool:
        """``ProductQuerySet.visible_to_public`` for one loaded product."""
        root = self.parent if self.parent_id else self
        return self.is_public and root.is_public and root.review_status == ReviewStatus.APPROVED

    def sorted_recommended_products(self):
        # Staff may recommend a listing that is not live (yet); the product
        # page must not show it.
        return [
            r.recommendation
            for r in self.primary_recommendations.filter(
                recommendation__in=type(self).objects.visible_to_public()
            ).select_related("recommendation")
        ]

    def is_review_permitted(self, user):
        # A review is a customer's word on a live listing they received
        # (catalogue.rules.product_reviewable_by); Oscar adds one per customer.
        from catalogue.rules import product_reviewable_by

        return product_reviewable_by(product=self, user=user) and super().is_review_permitted(user)

    def get_producer(self):
        return self.parent.producer if self.is_child else self.producer

    def get_origin_county(self):
        return self.parent.origin_county if self.is_child else self.origin_county


class ProductReviewDecision(TransitionLog):
    """One step of a listing's review, kept forever: who, when, what, why
    (catalogue.workflows.LISTING_WORKFLOW)."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("提交审核")
        APPROVE = "approve", _("审核通过")
        REJECT = "reject", _("驳回")
        # Platform staff changed what a listing claims in Oscar's dashboard.
        STAFF_EDIT = "staff_edit", _("平台修改")

    product = models.ForeignKey(
        Product,
        verbose_name=_("商品"),
        on_delete=models.CASCADE,
        related_name="review_decisions",
    )
    fields = models.JSONField(
        _("改动的字段"),
        default=list,
        blank=True,
        help_text=_("提交审核或平台修改时，改动了哪些需要审核的字段。"),
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("商品审核记录")
        verbose_name_plural = _("商品审核记录")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="reject") | ~Q(reason=""),
                name="product_review_reject_has_reason",
            ),
        ]

    def field_labels(self) -> list[str]:
        # Imported here: the rules read Product's columns when they load.
        from catalogue.rules import reviewed_field_labels

        return reviewed_field_labels(self.fields)


class ReferencePrice(models.Model):
    """A reference market price (参考市场价) staff record for a product kind
    (a category and everything under it) in a province, or nationwide when
    ``region`` is empty: what the same kind sells for at retail, with where
    the figure came from and the day it was observed. Listings priced above it
    by more than PRICE_WATCH_MARGIN are flagged (catalogue.rules.price_watch_*)."""

    category = models.ForeignKey(
        "catalogue.Category",
        verbose_name=_("商品品类"),
        on_delete=models.CASCADE,
        related_name="reference_prices",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("适用省份"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reference_prices",
        limit_choices_to={"level": "province"},
        help_text=_("留空表示全国通用。"),
    )
    price = models.DecimalField(_("参考价（元）"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("计价单位"), max_length=16)
    source = models.CharField(_("价格来源"), max_length=128)
    observed_on = models.DateField(_("采价日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("参考市场价")
        verbose_name_plural = _("参考市场价")
        ordering = ["-observed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="reference_price_gt_0"),
        ]

    def __str__(self):
        return f"{self.category_id} ¥{self.price}/{self.unit} ({self.observed_on})"


def catalogue_import_file_path(instance, filename: str) -> str:
    # A random directory per file, the extension the bytes were found to be
    # (``catalogue.importers.import_file_check``), never the uploaded name.
    extension = filename.rsplit(".", 1)[-1].lower()
    if extension not in ("xlsx", "csv"):
        raise ValueError(f"catalogue file {filename!r} was not checked by import_file_check")
    return f"catalogue-imports/{uuid.uuid4().hex}/{uuid.uuid4().hex}.{extension}"


class CatalogueImportJob(TimeStampedModel):
    """One uploaded catalogue file and what importing it did, run by a worker
    (``catalogue.import_jobs``). The file stays in the private storage;
    ``updated_at`` moves with every progress report, so a job whose worker died
    is told by its silence (``catalogue.rules.catalogue_import_is_stale``)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        CHECKING = "checking", _("正在检查")
        APPLYING = "applying", _("正在导入")
        DONE = "done", _("导入完成")
        REJECTED = "rejected", _("未导入：文件有问题")
        FAILED = "failed", _("导入失败")

    class Failure(models.TextChoices):
        WORKER_ERROR = (
            "worker_error",
            _("导入过程中出错，未导入任何商品，请重新上传；问题持续请联系平台。"),
        )
        TIMED_OUT = "timed_out", _("导入长时间没有进展，已停止，未导入任何商品，请重新上传。")
        QUEUE_UNAVAILABLE = (
            "queue_unavailable",
            _("导入任务未能排队，未导入任何商品，请稍后重新上传。"),
        )

    # A producer runs one import at a time (the partial unique constraint below).
    ACTIVE = (Status.QUEUED, Status.CHECKING, Status.APPLYING)
    FINISHED = (Status.DONE, Status.REJECTED, Status.FAILED)

    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产主体"),
        on_delete=models.CASCADE,
        related_name="catalogue_imports",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(
        _("商品表格"), max_length=200, upload_to=catalogue_import_file_path, storage=private_storage
    )
    file_name = models.CharField(_("上传的文件名"), max_length=255, blank=True)
    overwrite_newer = models.BooleanField(_("确认覆盖"), default=False)
    # The uploader's language: the worker writes the row problems in it.
    language = models.CharField(_("语言"), max_length=10, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("行数"), default=0)
    rows_checked = models.PositiveIntegerField(_("已检查"), default=0)
    rows_applied = models.PositiveIntegerField(_("已导入"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变"), default=0)
    # The problems of a rejected file, [row, column, message, code] each
    # (``catalogue.importers.RowError``), in row order.
    errors = models.JSONField(_("问题"), default=list, blank=True)
    # What each row of an imported file did, [row, sku, outcome] each.
    outcomes = models.JSONField(_("逐行结果"), default=list, blank=True)
    failure = models.CharField(_("失败原因"), max_length=20, choices=Failure.choices, blank=True)
    # The exception's class and text, for staff and the log; not shown to producers.
    failure_detail = models.TextField(_("失败详情"), blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("商品导入")
        verbose_name_plural = _("商品导入")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A second upload while one runs would race it for the same listings.
            models.UniqueConstraint(
                fields=["producer"],
                condition=Q(status__in=["queued", "checking", "applying"]),
                name="catalogue_import_one_active_per_producer",
            ),
        ]

    def __str__(self):
        return f"{self.producer_id} #{self.pk} {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


from oscar.apps.catalogue.models import *  # noqa: E402,F403
