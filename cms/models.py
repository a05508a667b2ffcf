from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page


class HomePage(Page):
    """The storefront's front page; editors set the hero and pick featured products."""

    hero_title = models.CharField(
        _("主标题"), max_length=80, default=_("买脱贫地区好物，助乡村振兴")
    )
    hero_text = models.TextField(
        _("导语"),
        blank=True,
        default=_("每一份订单都直接带动脱贫县的合作社和农户增收。"),
    )
    hero_cta_text = models.CharField(_("按钮文字"), max_length=30, default=_("逛逛全部商品"))

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_cta_text")],
            heading=_("首屏"),
        ),
        InlinePanel("featured_products", label=_("推荐商品"), max_num=12),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("首页")

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import homepage_featured_products

        ctx = super().get_context(request, *args, **kwargs)
        ctx["featured_products"] = homepage_featured_products(page=self)
        return ctx


class HomePageFeaturedProduct(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_products")
    product = models.ForeignKey(
        "catalogue.Product", verbose_name=_("商品"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("product")]

    class Meta(Orderable.Meta):
        verbose_name = _("推荐商品")
        verbose_name_plural = _("推荐商品")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "product"], name="homepage_featured_product_once"
            ),
        ]
