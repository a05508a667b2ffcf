"""StreamField blocks of stories and news.

Two blocks are live: what they show is read when the page is rendered, never
stored in the page. Product picks keep only which products the writer chose;
price, stock and whether the listing may be shown at all come from the
catalogue at render time. The benefit-linkage block stores nothing but its
heading and shows the producer's latest declared figures with their
verified/unverified mark. Both take the producer from the story page being
rendered (the ``page`` in the template context), so a block can never show
another producer's products or figures.
"""

import copy

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from cms.choosers import product_chooser_viewset

ProductChooserBlock = product_chooser_viewset.get_block_class(
    name="ProductChooserBlock", module_path="cms.blocks"
)


class StoryImageChooserBlock(ImageChooserBlock):
    """Wagtail's image chooser block, its images read with their renditions:
    a page's images come in one query (Wagtail's ``bulk_to_python``) and their
    renditions in one more, instead of a rendition query per image as each
    ``{% picture %}`` renders (and per process, the rendition cache being local)."""

    def bulk_to_python(self, values):
        objects = self.model_class.objects.prefetch_renditions().in_bulk(values)
        seen, result = set(), []
        for pk in values:
            image = objects.get(pk)
            if image is not None and pk in seen:
                image = copy.copy(image)  # one instance per occurrence, as Wagtail's does
            seen.add(pk)
            result.append(image)
        return result


PRODUCT_PICKS_MAX = 12
GALLERY_MAX = 12


def _page_producer_id(parent_context):
    page = (parent_context or {}).get("page")
    return getattr(page, "producer_id", None)


class HeadedParagraphBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("小标题"), max_length=60)
    text = blocks.RichTextBlock(label=_("正文"), features=["bold", "italic", "ol", "ul", "link"])

    class Meta:
        icon = "pilcrow"
        label = _("段落")
        template = "cms/blocks/headed_paragraph.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = StoryImageChooserBlock(label=_("图片"))
    alt = blocks.CharBlock(
        label=_("替代文字"),
        max_length=125,
        help_text=_("为看不到图片的读者描述图片内容（读屏软件会朗读），必填。"),
    )
    caption = blocks.CharBlock(label=_("图片说明"), max_length=120, required=False)

    class Meta:
        icon = "image"
        label = _("图片")
        template = "cms/blocks/image.html"


class GalleryBlock(blocks.StructBlock):
    images = blocks.ListBlock(
        CaptionedImageBlock(), label=_("图片"), min_num=2, max_num=GALLERY_MAX
    )

    class Meta:
        icon = "image"
        label = _("图集")
        template = "cms/blocks/gallery.html"


class MemberQuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("原话"), max_length=500)
    name = blocks.CharBlock(label=_("姓名"), max_length=30)
    role = blocks.CharBlock(
        label=_("身份"), max_length=40, help_text=_("如：合作社社员、脱贫户、理事长。")
    )

    class Meta:
        icon = "openquote"
        label = _("社员说")
        template = "cms/blocks/member_quote.html"


class KeyFactsBlock(blocks.StructBlock):
    founded = blocks.IntegerBlock(
        label=_("成立年份"), required=False, min_value=1949, max_value=2100
    )
    members = blocks.IntegerBlock(label=_("成员（户）"), required=False, min_value=0)
    area = blocks.CharBlock(
        label=_("基地面积"), max_length=40, required=False, help_text=_("如：1200 亩")
    )
    main_products = blocks.CharBlock(label=_("主要产品"), max_length=100, required=False)

    class Meta:
        icon = "list-ul"
        label = _("基本情况")
        template = "cms/blocks/key_facts.html"


class ProductPicksBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("标题"), max_length=60, required=False)
    products = blocks.ListBlock(
        ProductChooserBlock(label=_("商品")),
        label=_("本社商品"),
        min_num=1,
        max_num=PRODUCT_PICKS_MAX,
        help_text=_("只能选择本生产主体的商品；下架或待审核的商品不会显示。"),
    )

    class Meta:
        icon = "tag"
        label = _("本社好物")
        template = "cms/blocks/product_picks.html"

    def get_context(self, value, parent_context=None):
        from cms.selectors import story_product_picks

        context = super().get_context(value, parent_context)
        context["picked_products"] = story_product_picks(
            producer_id=_page_producer_id(parent_context),
            product_ids=[product.pk for product in value["products"] if product is not None],
        )
        return context


class BenefitLinkageBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("标题"), max_length=60, required=False)

    class Meta:
        icon = "group"
        label = _("联农带农")
        template = "cms/blocks/benefit_linkage.html"

    def get_context(self, value, parent_context=None):
        from cms.selectors import story_benefit_linkage

        context = super().get_context(value, parent_context)
        context["linkage"] = story_benefit_linkage(producer_id=_page_producer_id(parent_context))
        return context


class NewsBodyBlock(blocks.StreamBlock):
    paragraph = HeadedParagraphBlock()
    image = CaptionedImageBlock()
    gallery = GalleryBlock()
    quote = MemberQuoteBlock()


class StoryBodyBlock(NewsBodyBlock):
    key_facts = KeyFactsBlock()
    product_picks = ProductPicksBlock()
    benefit_linkage = BenefitLinkageBlock()


def stream_text(stream) -> list[str]:
    """The words a StreamField holds (headings, paragraphs without their
    markup, captions, alt text, quotes, facts), for site search: each block's
    own ``get_searchable_content``."""
    found: list[str] = []
    for child in stream:
        found += [strip_tags(str(text)) for text in child.block.get_searchable_content(child.value)]
    return [text for text in found if text.strip()]
