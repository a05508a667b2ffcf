"""Writes for product listings: a producer creates and edits its own, platform
staff review them. Only approved listings are browsable (see
``ProductQuerySet.browsable``) and searchable (``search.documents``)."""

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import strip_tags
from oscar.core.loading import get_model

from catalogue import rules
from catalogue.exceptions import (
    DuplicateSku,
    ListingPermissionDenied,
    OriginNotLicensed,
    StockBelowAllocated,
)
from catalogue.lock_objects import product_lock
from catalogue.models import ProductReviewDecision, ReviewStatus
from catalogue.rules import LISTING_ATTRIBUTES
from catalogue.thumbnails import product_image_thumbnails_schedule
from catalogue.workflows import LISTING_WORKFLOW
from common.uploads import document_rename, photo_check
from partner.lock_objects import stockrecords_lock
from partner.selectors import partner_is_managed_by

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")

Action = ProductReviewDecision.Action

LISTING_PRODUCT_CLASS = "农产品"
CURRENCY = "CNY"


@dataclass(frozen=True)
class ListingContent:
    """What a producer says about a product (``rules.REVIEWED_FIELDS``):
    changing any of it sends a live listing back to review."""

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
        raise ListingPermissionDenied()


def _check_origin(*, producer, county) -> None:
    if not producer.may_label_origin(county):
        raise OriginNotLicensed(params={"county": county.name})


def _record_staff_edit(*, product, actor, fields) -> ProductReviewDecision:
    """A staff edit changes no status: a log row beside the workflow's steps."""
    return ProductReviewDecision.objects.create(
        product=product,
        actor=actor,
        action=Action.STAFF_EDIT,
        from_status=product.review_status,
        to_status=product.review_status,
        fields=list(fields),
    )


def _checked_content(content: ListingContent) -> ListingContent:
    """``content`` with every listing rule applied; raises the first rule it breaks."""
    return replace(
        content,
        title=rules.title_check(content.title),
        description=rules.description_check(content.description),
        attributes={
            code: rules.attribute_value_check(code, content.attributes.get(code) or "")
            for code, _label in LISTING_ATTRIBUTES
        },
    )


def _apply_content(product, content: ListingContent) -> set[str]:
    """Copy ``content`` onto ``product``; the names of the fields that changed."""
    description = description_to_html(content.description)
    changed = {
        name
        for name, differs in (
            ("title", product.title != content.title),
            ("description", product.description != description),
            ("origin_county", product.origin_county_id != content.origin_county.pk),
        )
        if differs
    }
    product.title = content.title
    product.description = description
    product.origin_county = content.origin_county
    return changed


def _apply_attributes(product, attributes: Mapping[str, str]) -> set[str]:
    changed = set()
    for code, _label in LISTING_ATTRIBUTES:
        value = attributes.get(code) or ""
        if (getattr(product.attr, code, None) or "") != value:
            changed.add("attributes")
        setattr(product.attr, code, value or None)
    product.attr.save()
    return changed


def _apply_category(product, category) -> set[str]:
    current = list(product.categories.values_list("pk", flat=True))
    if current == [category.pk]:
        return set()
    product.categories.set([category])
    return {"category"}


def _add_photo(product, image) -> None:
    checked = photo_check(image)
    document_rename(image, checked)
    order = product.images.count()
    stored = ProductImage.objects.create(
        product=product, original=image, caption=product.title, display_order=order
    )
    product_image_thumbnails_schedule(stored)


def _set_stock(*, stockrecord, price: Decimal | None, num_in_stock: int | None) -> None:
    locked = stockrecords_lock(ids=[stockrecord.pk])[stockrecord.pk]
    if num_in_stock is not None:
        allocated = locked.num_allocated or 0
        if num_in_stock < allocated:
            raise StockBelowAllocated(params={"allocated": allocated})
        locked.num_in_stock = num_in_stock
    if price is not None:
        locked.price = price
    locked.save(update_fields=["num_in_stock", "price", "date_updated"])


def _submit_for_review(*, product, actor, fields=()) -> ProductReviewDecision:
    product.review_reason = ""
    decision = LISTING_WORKFLOW.apply(product, Action.SUBMIT, actor, update_fields=["review_reason"])
    if fields:
        decision.fields = list(fields)
        decision.save(update_fields=["fields"])
    return decision


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
    sku = rules.sku_check(sku)
    content = _checked_content(content)
    price = rules.price_check(price)
    num_in_stock = rules.stock_check(num_in_stock)
    _check_origin(producer=producer, county=content.origin_county)
    if StockRecord.objects.filter(partner=producer.partner, partner_sku=sku).exists():
        raise DuplicateSku(params={"sku": sku})
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
        raise DuplicateSku(params={"sku": sku}) from None
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
    listing claims (``rules.REVIEWED_FIELDS``) sends it back to review."""
    producer = product.producer
    _require_manager(producer=producer, actor=actor)
    if content is not None:
        content = _checked_content(content)
    if price is not None:
        price = rules.price_check(price)
    if num_in_stock is not None:
        num_in_stock = rules.stock_check(num_in_stock)
    product = product_lock(pk=product.pk)
    changed: set[str] = set()
    if content is not None:
        _check_origin(producer=producer, county=content.origin_county)
        changed |= _apply_content(product, content)
        product.full_clean(exclude=["slug"])
        product.save()
        changed |= _apply_attributes(product, content.attributes)
        changed |= _apply_category(product, content.category)
    if image is not None:
        _add_photo(product, image)
        changed.add("images")
    if price is not None or num_in_stock is not None:
        stockrecord = StockRecord.objects.get(product=product, partner=producer.partner)
        _set_stock(stockrecord=stockrecord, price=price, num_in_stock=num_in_stock)
        # Stock and price are indexed (availability, price facet).
        product.save(update_fields=["date_updated"])
    fields = rules.fields_needing_review(changed)
    if fields and product.review_status != ReviewStatus.PENDING:
        _submit_for_review(product=product, actor=actor, fields=fields)
    return product


@transaction.atomic
def product_staff_edit_record(
    *, product, actor, changed: Iterable[str]
) -> "ProductReviewDecision | None":
    """Account for an edit made outside the producer's workspace (Oscar's
    dashboard, after it saved ``product``), given the names of the fields it
    changed.

    Staff are the reviewers, so their change to what a listing claims keeps its
    review status and leaves a ``staff_edit`` decision naming the fields; the
    producer sees it in the listing's history. Anyone else's such change sends
    a live listing back to review, as the workspace does. Variants and products
    without a producer are no listing of anyone's: nothing is recorded.
    """
    fields = rules.fields_needing_review(changed)
    if not fields or product.is_child or product.producer_id is None:
        return None
    product = product_lock(pk=product.pk)
    if not actor.is_staff:
        if product.review_status == ReviewStatus.PENDING:
            return None
        return _submit_for_review(product=product, actor=actor, fields=fields)
    return _record_staff_edit(product=product, actor=actor, fields=fields)


@transaction.atomic
def product_review_approve(*, product, actor, note: str = "") -> "Product":
    product = product_lock(pk=product.pk)
    product.review_reason = ""
    LISTING_WORKFLOW.apply(
        product, Action.APPROVE, actor, reason=note, update_fields=["review_reason"]
    )
    return product


@transaction.atomic
def product_review_reject(*, product, actor, reason: str) -> "Product":
    product = product_lock(pk=product.pk)
    product.review_reason = reason.strip()
    LISTING_WORKFLOW.apply(
        product, Action.REJECT, actor, reason=reason, update_fields=["review_reason"]
    )
    return product
