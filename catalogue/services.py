"""Writes for product listings: a producer creates and edits its own, platform
staff review them. Only approved listings are browsable (see
``ProductQuerySet.browsable``) and searchable (``search.documents``)."""

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from catalogue.exceptions import (
    DuplicateSku,
    ListingPermissionDenied,
    OriginNotLicensed,
    StockBelowAllocated,
)
from catalogue.models import ProductReviewDecision, ReviewStatus
from catalogue.workflows import LISTING_WORKFLOW
from common.uploads import document_rename, photo_check
from partner.selectors import partner_is_managed_by
from partner.services import stockrecords_lock

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")

Action = ProductReviewDecision.Action

# What a label must say about a food product, kept as Oscar product attributes.
LISTING_ATTRIBUTES = (
    ("net_content", gettext_lazy("净含量")),
    ("spec", gettext_lazy("规格")),
    ("shelf_life", gettext_lazy("保质期")),
    ("storage", gettext_lazy("储存条件")),
)
LISTING_PRODUCT_CLASS = "农产品"
CURRENCY = "CNY"


@dataclass(frozen=True)
class ListingContent:
    """What a producer says about a product; changing any of it needs review again."""

    title: str
    description: str
    category: "Category"
    origin_county: object
    attributes: Mapping[str, str] = field(default_factory=dict)


def description_to_html(text: str) -> str:
    """Producers type plain text; it is escaped, never trusted as HTML."""
    return linebreaks_filter(text.strip(), autoescape=True)


def description_to_text(stored: str) -> str:
    text = re.sub(r"<br\s*/?>", "\n", stored)
    text = re.sub(r"</p>\s*", "\n\n", text)
    return html.unescape(strip_tags(text)).strip()


@transaction.atomic
def listing_product_class() -> "ProductClass":
    """The product class producer listings use, with the label attributes."""
    product_class, _created = ProductClass.objects.get_or_create(
        slug=LISTING_PRODUCT_CLASS,
        defaults={"name": LISTING_PRODUCT_CLASS, "track_stock": True, "requires_shipping": True},
    )
    for code, label in LISTING_ATTRIBUTES:
        ProductAttribute.objects.get_or_create(
            product_class=product_class,
            code=code,
            defaults={"name": str(label), "type": ProductAttribute.TEXT, "required": False},
        )
    return product_class


def _require_manager(*, producer, actor) -> None:
    if not partner_is_managed_by(partner_id=producer.partner_id, user=actor):
        raise ListingPermissionDenied(_("您无权管理该生产主体的商品。"))


def _check_origin(*, producer, county) -> None:
    if not producer.may_label_origin(county):
        raise OriginNotLicensed(
            _("产地“%(county)s”不是本主体所在县，也不在许可的产地县之内。")
            % {"county": county.name}
        )


def _apply_content(product, content: ListingContent) -> bool:
    """Copy ``content`` onto ``product``; True when anything changed."""
    description = description_to_html(content.description)
    changed = (
        product.title != content.title.strip()
        or product.description != description
        or product.origin_county_id != content.origin_county.pk
    )
    product.title = content.title.strip()
    product.description = description
    product.origin_county = content.origin_county
    return changed


def _apply_attributes(product, attributes: Mapping[str, str]) -> bool:
    changed = False
    for code, _label in LISTING_ATTRIBUTES:
        value = (attributes.get(code) or "").strip()
        if (getattr(product.attr, code, None) or "") != value:
            changed = True
        setattr(product.attr, code, value or None)
    product.attr.save()
    return changed


def _apply_category(product, category) -> bool:
    current = list(product.categories.values_list("pk", flat=True))
    if current == [category.pk]:
        return False
    product.categories.set([category])
    return True


def _add_photo(product, image) -> None:
    checked = photo_check(image)
    document_rename(image, checked)
    order = product.images.count()
    ProductImage.objects.create(
        product=product, original=image, caption=product.title, display_order=order
    )


def _set_stock(*, stockrecord, price: Decimal | None, num_in_stock: int | None) -> None:
    locked = stockrecords_lock(ids=[stockrecord.pk])[stockrecord.pk]
    if num_in_stock is not None:
        allocated = locked.num_allocated or 0
        if num_in_stock < allocated:
            raise StockBelowAllocated(
                _("库存不能少于已售出待发货的 %(allocated)d 件。") % {"allocated": allocated}
            )
        locked.num_in_stock = num_in_stock
    if price is not None:
        locked.price = price
    locked.save(update_fields=["num_in_stock", "price", "date_updated"])


def _submit_for_review(*, product, actor) -> None:
    product.review_reason = ""
    LISTING_WORKFLOW.apply(product, Action.SUBMIT, actor, update_fields=["review_reason"])


@transaction.atomic
def product_listing_create(
    *,
    producer,
    actor,
    sku: str,
    content: ListingContent,
    price: Decimal,
    num_in_stock: int,
    image=None,
    product_class: "ProductClass | None" = None,
) -> "Product":
    """A new listing, waiting for platform review before anyone can see it.
    Bulk callers pass ``listing_product_class()`` once as ``product_class``."""
    _require_manager(producer=producer, actor=actor)
    _check_origin(producer=producer, county=content.origin_county)
    sku = sku.strip()
    if StockRecord.objects.filter(partner=producer.partner, partner_sku=sku).exists():
        raise DuplicateSku(_("商品编码“%(sku)s”已被本主体的其他商品使用。") % {"sku": sku})
    product = Product(
        structure=Product.STANDALONE,
        product_class=product_class or listing_product_class(),
        producer=producer,
        is_public=True,
        review_status=ReviewStatus.PENDING,
    )
    _apply_content(product, content)
    product.full_clean(exclude=["slug"])
    product.save()
    _apply_attributes(product, content.attributes)
    product.categories.set([content.category])
    try:
        with transaction.atomic():
            StockRecord.objects.create(
                product=product,
                partner=producer.partner,
                partner_sku=sku,
                price=price,
                price_currency=CURRENCY,
                num_in_stock=num_in_stock,
            )
    except IntegrityError:
        raise DuplicateSku(
            _("商品编码“%(sku)s”已被本主体的其他商品使用。") % {"sku": sku}
        ) from None
    if image is not None:
        _add_photo(product, image)
    LISTING_WORKFLOW.start(product, Action.SUBMIT, actor)
    return product


@transaction.atomic
def product_listing_update(
    *,
    product,
    actor,
    content: ListingContent | None = None,
    price: Decimal | None = None,
    num_in_stock: int | None = None,
    image=None,
) -> "Product":
    """Change a listing. Price and stock apply at once; a change to what the
    listing claims (title, description, origin, category, attributes, photos)
    sends it back to review."""
    producer = product.producer
    _require_manager(producer=producer, actor=actor)
    product = Product.objects.select_for_update().get(pk=product.pk)
    changed = False
    if content is not None:
        _check_origin(producer=producer, county=content.origin_county)
        changed |= _apply_content(product, content)
        product.full_clean(exclude=["slug"])
        product.save()
        changed |= _apply_attributes(product, content.attributes)
        changed |= _apply_category(product, content.category)
    if image is not None:
        _add_photo(product, image)
        changed = True
    if price is not None or num_in_stock is not None:
        stockrecord = StockRecord.objects.get(product=product, partner=producer.partner)
        _set_stock(stockrecord=stockrecord, price=price, num_in_stock=num_in_stock)
        # Stock and price are indexed (availability, price facet).
        product.save(update_fields=["date_updated"])
    if changed and product.review_status != ReviewStatus.PENDING:
        _submit_for_review(product=product, actor=actor)
    return product


@transaction.atomic
def product_review_approve(*, product, actor, note: str = "") -> "Product":
    product = (
        Product.objects.select_for_update(of=("self",))
        .select_related("producer")
        .get(pk=product.pk)
    )
    product.review_reason = ""
    LISTING_WORKFLOW.apply(
        product, Action.APPROVE, actor, reason=note, update_fields=["review_reason"]
    )
    return product


@transaction.atomic
def product_review_reject(*, product, actor, reason: str) -> "Product":
    product = Product.objects.select_for_update().get(pk=product.pk)
    product.review_reason = reason.strip()
    LISTING_WORKFLOW.apply(
        product, Action.REJECT, actor, reason=reason, update_fields=["review_reason"]
    )
    return product
