from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct
from oscar.apps.catalogue.managers import ProductQuerySet as OscarProductQuerySet

from common.models import TransitionLog


class ReviewStatus(models.TextChoices):
    """A listing's place in platform review (商品审核). Only approved listings
    are browsable, findable and purchasable."""

    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("已驳回")


class ProductQuerySet(OscarProductQuerySet):
    def browsable(self):
        return super().browsable().filter(review_status=ReviewStatus.APPROVED)

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
    def is_approved(self) -> bool:
        root = self.parent if self.is_child else self
        return root.review_status == ReviewStatus.APPROVED

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

    product = models.ForeignKey(
        Product,
        verbose_name=_("商品"),
        on_delete=models.CASCADE,
        related_name="review_decisions",
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


from oscar.apps.catalogue.models import *  # noqa: E402,F403
