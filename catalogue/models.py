from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct


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
        "producers.Region",
        verbose_name=_("产地（县）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
    )

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

    def get_producer(self):
        return self.parent.producer if self.is_child else self.producer

    def get_origin_county(self):
        return self.parent.origin_county if self.is_child else self.origin_county


from oscar.apps.catalogue.models import *  # noqa: E402,F403
