"""Writes for product listings: a producer creates and edits its own, platform
staff review them. Only approved listings are browsable (see
``ProductQuerySet.browsable``) and searchable (``search.documents``)."""

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue import rules
from catalogue.exceptions import (
    DuplicateSku,
    ListingFieldRequired,
    ListingNotMultiSpec,
    ListingPermissionDenied,
    ListingPhotoRejected,
    OriginNotLicensed,
    ReferencePriceStaffOnly,
    StockBelowAllocated,
)
from catalogue.lock_objects import product_lock
from catalogue.models import ProductReviewDecision, ReferencePrice, ReviewStatus
from catalogue.rules import LISTING_ATTRIBUTES, VARIANT_ATTRIBUTE
from catalogue.thumbnails import product_image_thumbnails_schedule
from catalogue.workflows import LISTING_WORKFLOW
from common.uploads import document_rename, photo_check
from partner.lock_objects import stockrecords_lock
from partner.selectors import partner_is_managed_by

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")

Action = ProductReviewDecision.Action

LISTING_PRODUCT_CLASS = "农产品"
# Fields a listing's validation leaves alone: the slug is made on save, and no
# producer sets a UPC, so it is NULL on every listing and variant. Oscar's field
# reads NULL back as "", and Django's unique check for "" then matches every
# other NULL row: with it, the second listing or the first variant could never
# be saved again.
UNCHECKED_FIELDS = ["slug", "upc"]
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
    """Store ``image`` as the listing's last photo, once it passes the photo
    check and the cap. The caller holds the product's row lock."""
    try:
        checked = photo_check(image)
    except ValidationError as refused:
        raise ListingPhotoRejected(refused.messages[0]) from None
    orders = list(product.images.values_list("display_order", flat=True))
    rules.photo_count_check(len(orders) + 1)
    document_rename(image, checked)
    stored = ProductImage.objects.create(
        product=product,
        original=image,
        caption=product.title,
        display_order=max(orders, default=-1) + 1,
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
    decision = LISTING_WORKFLOW.apply(
        product, Action.SUBMIT, actor, update_fields=["review_reason"]
    )
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
    product.full_clean(exclude=UNCHECKED_FIELDS)
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
        if product.is_parent:
            content = replace(content, attributes={**content.attributes, VARIANT_ATTRIBUTE: ""})
        changed |= _apply_content(product, content)
        product.full_clean(exclude=UNCHECKED_FIELDS)
        product.save()
        if product.is_parent and "title" in changed:
            _retitle_variants(product)
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


# --- multi-spec listings (多规格商品) -------------------------------------------
#
# Oscar's parent and child products: the parent carries what the listing claims
# (title, description, category, origin, photos) and is reviewed; each child is
# one 规格 with its own stock record (price and stock) and its own spec value.
# The parent is never sold itself; the child takes its visibility from the
# parent (``ProductQuerySet.visible_to_public``).


@dataclass(frozen=True)
class VariantDetails:
    """One 规格 of a multi-spec listing, as the producer typed it."""

    spec: str
    sku: str
    price: Decimal
    num_in_stock: int


def variant_specs(parent, *, exclude_pk: int | None = None) -> list[str]:
    """The spec values of ``parent``'s variants, in the order they were added."""
    values = (
        ProductAttributeValue.objects.filter(
            product__parent=parent, attribute__code=VARIANT_ATTRIBUTE
        )
        .exclude(product_id=exclude_pk)
        .order_by("product_id")
    )
    return [value.value_text or "" for value in values]


def _create_variant(*, parent, producer, variant: VariantDetails) -> "Product":
    sku = rules.sku_check(variant.sku)
    price = rules.price_check(variant.price)
    num_in_stock = rules.stock_check(variant.num_in_stock)
    spec = rules.variant_spec_check(variant.spec, taken=variant_specs(parent))
    rules.variant_count_check(parent.children.count() + 1)
    if StockRecord.objects.filter(partner=producer.partner, partner_sku=sku).exists():
        raise DuplicateSku(params={"sku": sku})
    child = Product(
        structure=Product.CHILD,
        parent=parent,
        title=rules.variant_title(parent.title, spec),
        is_public=True,
        # A variant is reviewed with its parent; its own status is never read.
        review_status=ReviewStatus.PENDING,
    )
    setattr(child.attr, VARIANT_ATTRIBUTE, spec)
    child.full_clean(exclude=UNCHECKED_FIELDS)
    child.save()
    try:
        with transaction.atomic():
            StockRecord.objects.create(
                product=child,
                partner=producer.partner,
                partner_sku=sku,
                price=price,
                price_currency=CURRENCY,
                num_in_stock=num_in_stock,
            )
    except IntegrityError:
        raise DuplicateSku(params={"sku": sku}) from None
    return child


def _retitle_variants(parent) -> None:
    """Variant titles say the parent's title; they follow it when it changes."""
    for child in parent.children.all():
        spec = getattr(child.attr, VARIANT_ATTRIBUTE, None) or ""
        child.title = rules.variant_title(parent.title, spec)
        child.save(update_fields=["title", "date_updated"])


@transaction.atomic
def product_multi_spec_listing_create(
    *,
    producer,
    actor,
    content: ListingContent,
    variants: Iterable[VariantDetails],
    image=None,
    product_class: "ProductClass | None" = None,
) -> "Product":
    """A new listing with several specs, waiting for review as a whole. Its
    own attributes state what all specs share; each variant's 规格 is its own."""
    _require_manager(producer=producer, actor=actor)
    variants = list(variants)
    if not variants:
        raise ListingFieldRequired(_("请至少填写一个规格。"), field="attr_spec")
    content = _checked_content(
        replace(content, attributes={**content.attributes, VARIANT_ATTRIBUTE: ""})
    )
    _check_origin(producer=producer, county=content.origin_county)
    parent = Product(
        structure=Product.PARENT,
        product_class=product_class or listing_product_class(),
        producer=producer,
        is_public=True,
        review_status=ReviewStatus.PENDING,
    )
    _apply_content(parent, content)
    parent.full_clean(exclude=UNCHECKED_FIELDS)
    parent.save()
    _apply_attributes(parent, content.attributes)
    parent.categories.set([content.category])
    for variant in variants:
        _create_variant(parent=parent, producer=producer, variant=variant)
    if image is not None:
        _add_photo(parent, image)
    LISTING_WORKFLOW.start(parent, Action.SUBMIT, actor)
    return parent


@transaction.atomic
def product_variant_add(*, parent, actor, variant: VariantDetails) -> "Product":
    """Add a 规格 to a multi-spec listing. A new spec is a new claim: a live
    listing goes back to review with it."""
    producer = parent.producer
    _require_manager(producer=producer, actor=actor)
    parent = product_lock(pk=parent.pk)
    if not parent.is_parent:
        raise ListingNotMultiSpec()
    child = _create_variant(parent=parent, producer=producer, variant=variant)
    parent.save(update_fields=["date_updated"])
    if parent.review_status != ReviewStatus.PENDING:
        _submit_for_review(product=parent, actor=actor, fields=["attributes"])
    return child


@transaction.atomic
def product_variant_update(
    *,
    variant,
    actor,
    spec: str | None = None,
    price: Decimal | None = None,
    num_in_stock: int | None = None,
    is_public: bool | None = None,
) -> "Product":
    """Change one 规格: price, stock and whether it is offered apply at once;
    a renamed spec sends a live listing back to review."""
    parent = variant.parent
    producer = parent.producer
    _require_manager(producer=producer, actor=actor)
    if price is not None:
        price = rules.price_check(price)
    if num_in_stock is not None:
        num_in_stock = rules.stock_check(num_in_stock)
    parent = product_lock(pk=parent.pk)
    variant = Product.objects.get(pk=variant.pk, parent=parent)
    renamed = False
    if spec is not None:
        spec = rules.variant_spec_check(spec, taken=variant_specs(parent, exclude_pk=variant.pk))
        renamed = (getattr(variant.attr, VARIANT_ATTRIBUTE, None) or "") != spec
        setattr(variant.attr, VARIANT_ATTRIBUTE, spec)
        variant.title = rules.variant_title(parent.title, spec)
    if is_public is not None:
        variant.is_public = is_public
    variant.save()
    if price is not None or num_in_stock is not None:
        stockrecord = StockRecord.objects.get(product=variant, partner=producer.partner)
        _set_stock(stockrecord=stockrecord, price=price, num_in_stock=num_in_stock)
    # The parent's search document carries its variants' prices and stock.
    parent.save(update_fields=["date_updated"])
    if renamed and parent.review_status != ReviewStatus.PENDING:
        _submit_for_review(product=parent, actor=actor, fields=["attributes"])
    return variant


def reference_price_record(*, actor, data: rules.ReferencePriceData):
    """Record a reference market price (checked by rules.reference_price_check)."""
    if not (actor.is_authenticated and actor.is_staff):
        raise ReferencePriceStaffOnly()
    with transaction.atomic():
        return ReferencePrice.objects.create(
            category=data.category,
            region=data.region,
            price=data.price,
            unit=data.unit,
            source=data.source,
            observed_on=data.observed_on,
            recorded_by=actor,
        )
