"""Reads of the listing lifecycle, and who may see a listing.

The public sees what ``ProductQuerySet.visible_to_public`` (one product:
``Product.is_visible_to_public``) lets through; ``product_is_previewable_by``
names who may also preview a listing that is not live: before it is approved,
after it is sent back to review or rejected, or while it is withdrawn."""

from collections.abc import Iterable

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

from catalogue.models import CatalogueImportJob
from catalogue.rules import (
    LISTING_ATTRIBUTES,
    VARIANT_ATTRIBUTE,
    applicable_reference_prices,
    price_is_flagged,
    price_percent_above,
    price_watch_threshold,
)
from common.roles import is_platform_staff
from partner.selectors import partner_is_managed_by

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


def products_awaiting_review() -> QuerySet:
    return (
        Product.objects.awaiting_review()
        .select_related("producer__partner", "producer__county", "origin_county")
        .order_by("date_updated", "pk")
    )


def products_for_listing():
    """Browsable products with everything a product card renders, in a fixed
    number of queries whatever the page size (a multi-spec listing's card
    prices it from its variants, read through ``get_public_children``)."""
    return (
        Product.objects.browsable()
        .base_queryset()
        .select_related("producer__partner", "origin_county__parent__parent")
        .prefetch_related(
            Prefetch(
                "children",
                queryset=Product.objects.public().prefetch_related("stockrecords"),
                to_attr="_prefetched_public_children",
            )
        )
    )


def product_is_previewable_by(*, product, user) -> bool:
    """Staff, who review listings, and the users of the listing's producer."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    producer = product.get_producer()
    return producer is not None and partner_is_managed_by(partner_id=producer.partner_id, user=user)


def product_is_visible_to(*, product, user) -> bool:
    """Whether ``user`` may see this product's pages (its page and its reviews).
    Acting on a product (buying, reviewing, wishing for it) needs it visible
    to the public, whoever asks."""
    return product.is_visible_to_public or product_is_previewable_by(product=product, user=user)


def product_label_facts(product) -> list[tuple[str, str]]:
    """The label facts a shopper reads on the product page (净含量, 规格, 保质期,
    储存条件), as (label, value) in the listing form's order; facts the listing
    does not state are left out. A variant states its own or takes its
    parent's. Uses prefetched ``attribute_values__attribute`` when present."""
    values = {}
    for source in ([product.parent] if product.is_child else []) + [product]:
        for value in source.attribute_values.all():
            if value.value not in (None, ""):
                values[value.attribute.code] = value.value
    return [(str(label), values[code]) for code, label in LISTING_ATTRIBUTES if code in values]


def product_variants(*, parent) -> QuerySet:
    """A multi-spec listing's variants in the order they were added, with what
    their rows show (stock record, spec)."""
    return (
        Product.objects.filter(parent=parent)
        .prefetch_related("stockrecords", "attribute_values__attribute")
        .order_by("pk")
    )


def variant_spec(product) -> str:
    """A variant's 规格, from its prefetched attribute values (Oscar's
    ``prefetch_attribute_values`` or ``attribute_values__attribute``)."""
    values = getattr(product, "_prefetched_attribute_values", None)
    for value in product.attribute_values.all() if values is None else values:
        if value.attribute.code == VARIANT_ATTRIBUTE:
            return value.value or ""
    return ""


# --- price watch (价格监测) --------------------------------------------------------


def _origin_province():
    """A stock record's product's province of origin, in SQL: county → city →
    province, or county → province for a municipality's districts; a
    variant's origin is its parent's."""
    return Coalesce(
        F("product__origin_county__parent__parent"),
        F("product__origin_county__parent"),
        F("product__parent__origin_county__parent__parent"),
        F("product__parent__origin_county__parent"),
    )


def price_watch_listings(queryset=None) -> QuerySet:
    """Stock records with ``reference_pk`` and ``reference_price``: the
    applicable reference market price (catalogue.rules.
    applicable_reference_prices), or None where none applies."""
    references = applicable_reference_prices(
        product=OuterRef("category_product"), province=OuterRef("origin_province")
    )
    queryset = StockRecord.objects.all() if queryset is None else queryset
    return queryset.annotate(
        category_product=Coalesce(F("product__parent"), F("product")),
        origin_province=_origin_province(),
        reference_pk=Subquery(references.values("pk")[:1]),
        reference_price=Subquery(references.values("price")[:1]),
    )


def flagged_listings(*, region=None) -> QuerySet:
    """Listings priced above their reference × (1 + PRICE_WATCH_MARGIN), with
    the producer and product at hand; only those originating in ``region`` (a
    province, city or county, and everything below it) when one is given.
    The bulletin and the staff, workspace and order pages all read this."""
    records = StockRecord.objects.filter(price__isnull=False).select_related(
        "product__parent", "partner", "product__origin_county", "product__parent__origin_county"
    )
    if region is not None:
        records = records.filter(
            Q(product__origin_county=region)
            | Q(product__origin_county__parent=region)
            | Q(product__origin_county__parent__parent=region)
            | Q(product__parent__origin_county=region)
            | Q(product__parent__origin_county__parent=region)
            | Q(product__parent__origin_county__parent__parent=region)
        )
    return (
        price_watch_listings(records)
        .filter(price__gt=price_watch_threshold(F("reference_price")))
        .order_by("partner__name", "product__title", "pk")
    )


def with_reference_prices(records: Iterable) -> list:
    """The records (from price_watch_listings) with ``reference`` (the
    ReferencePrice or None), ``percent_above`` and ``is_flagged`` set; one
    query for all the references."""
    records = list(records)
    ReferencePrice = get_model("catalogue", "ReferencePrice")
    references = ReferencePrice.objects.select_related("category", "region").in_bulk(
        {r.reference_pk for r in records if r.reference_pk}
    )
    for record in records:
        record.reference = references.get(record.reference_pk)
        price = record.price
        reference = record.reference.price if record.reference else None
        record.is_flagged = price is not None and price_is_flagged(price, reference)
        record.percent_above = price_percent_above(price, reference)
    return records


def catalogue_import_jobs_visible_to(*, user) -> QuerySet:
    """Import jobs ``user`` may see: their producers' (every user of the
    producer sees its imports, whoever uploaded), and all of them for staff."""
    if not user.is_authenticated:
        return CatalogueImportJob.objects.none()
    jobs = CatalogueImportJob.objects.select_related("producer__partner", "actor")
    if is_platform_staff(user):
        return jobs
    return jobs.filter(producer__partner__users=user)
