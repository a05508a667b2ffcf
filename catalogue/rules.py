"""The listing rules (商品信息规则): what a producer's listing may say and hold.

Each rule lives here once, and every way into a listing applies it: the
workspace ``ListingForm``, the catalogue importer, Oscar's dashboard product and
stock record forms, and the listing services, which check again so that no
caller can bypass them. A check takes a value as people typed it and returns it
cleaned, or raises a ``ListingRuleBroken`` subclass whose ``code`` says which
rule and whose ``field`` says which value; forms turn that into a field error
with ``as_validator``, the importer into a row error.
"""

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from catalogue.exceptions import (
    ListingFieldRequired,
    ListingFieldTooLong,
    ListingPhotoLimit,
    ListingPriceOutOfBounds,
    ListingRuleBroken,
    ListingSkuInvalid,
    ListingStockOutOfBounds,
    ReferencePriceDateInFuture,
    ReferencePriceFieldRequired,
    ReferencePriceFieldTooLong,
    ReferencePriceNotPositive,
    ReferencePriceRegionNotProvince,
    VariantLimit,
    VariantSpecTaken,
)

# What a food label must say, kept as Oscar product attributes (all optional:
# not every product has, say, a shelf life worth stating).
LISTING_ATTRIBUTES = (
    ("net_content", gettext_lazy("净含量")),
    ("spec", gettext_lazy("规格")),
    ("shelf_life", gettext_lazy("保质期")),
    ("storage", gettext_lazy("储存条件")),
)

# The width of Product.title's column.
TITLE_MAX_LENGTH = get_model("catalogue", "Product")._meta.get_field("title").max_length

# Counted in the characters people read (plain text, not the stored HTML).
# Five thousand characters is several screens of a phone; the 130,000 that
# once came in through an import was a pasted document, not a description.
DESCRIPTION_MAX_LENGTH = 5000

# A description is required everywhere. Reviewers check what a listing claims
# against its label and licence, and buyers (agency canteens above all) decide
# from it: a title such as "柞水木耳 250g" says neither how the product was
# grown nor how to store it.
DESCRIPTION_REQUIRED = True

# Attributes are label facts ("250g", "阴凉干燥处"), not prose.
ATTRIBUTE_VALUE_MAX_LENGTH = 100

# The 商品编码 is a listing's key in spreadsheets people edit by hand: ASCII
# letters and digits, then also dots, underscores and hyphens. No spaces (Excel
# trims them), no full-width look-alikes, and no leading character that a
# spreadsheet runs as a formula ("=", "+", "-", "@").
SKU_MAX_LENGTH = 64
SKU_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

# Stock is what a producer can ship. The database would take 2³¹−1, but no
# listing of the programme holds ten million units: a larger number is a slip
# (a barcode pasted into the stock column), so it is refused.
STOCK_MIN = 0
STOCK_MAX = 10_000_000

# Prices are CNY with fen: above zero, two decimal places, within the twelve
# digits of StockRecord.price.
PRICE_DECIMAL_PLACES = 2
PRICE_MAX_DIGITS = 12
PRICE_MAX = Decimal("9999999999.99")

# A listing's photos; the first is its main image. Eight fill two rows of
# thumbnails on a phone and show a product from every side a label needs.
MAX_PRODUCT_PHOTOS = 8

# The specs (规格) of one multi-spec listing: 250g / 500g / 礼盒装 and the like.
# A dozen covers every weight and pack a cooperative sells of one product; more
# is a catalogue of different products and wants listings of their own.
MAX_PRODUCT_VARIANTS = 12
# The attribute a variant differs by, and the label the product page shows.
VARIANT_ATTRIBUTE = "spec"

# What a listing claims: changing any of these sends a live listing back to
# review. Price and stock are not claims; they apply at once.
REVIEWED_FIELDS = (
    "producer",
    "title",
    "description",
    "origin_county",
    "category",
    "attributes",
    "images",
)
REVIEWED_FIELD_LABELS = {
    "producer": gettext_lazy("生产主体"),
    "title": gettext_lazy("商品名称"),
    "description": gettext_lazy("商品描述"),
    "origin_county": gettext_lazy("产地（县）"),
    "category": gettext_lazy("分类"),
    "attributes": gettext_lazy("规格属性"),
    "images": gettext_lazy("商品图片"),
}


def sku_check(sku: str) -> str:
    sku = (sku or "").strip()
    if not sku:
        raise ListingFieldRequired(_("商品编码不能为空。"), field="sku")
    if len(sku) > SKU_MAX_LENGTH:
        raise ListingFieldTooLong(
            _("商品编码不能超过 %(limit)d 个字符。") % {"limit": SKU_MAX_LENGTH}, field="sku"
        )
    if not SKU_PATTERN.fullmatch(sku):
        raise ListingSkuInvalid(
            _("商品编码只能包含英文字母、数字、点、下划线和连字符，并以字母或数字开头。"),
            field="sku",
        )
    return sku


def title_check(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ListingFieldRequired(_("商品名称不能为空。"), field="title")
    if len(title) > TITLE_MAX_LENGTH:
        raise ListingFieldTooLong(
            _("商品名称不能超过 %(limit)d 个字符（现有 %(length)d 个）。")
            % {"limit": TITLE_MAX_LENGTH, "length": len(title)},
            field="title",
        )
    return title


def description_check(text: str) -> str:
    """``text`` is plain text; callers holding HTML pass what it reads as."""
    text = (text or "").strip()
    if not text and DESCRIPTION_REQUIRED:
        raise ListingFieldRequired(_("商品描述不能为空。"), field="description")
    if len(text) > DESCRIPTION_MAX_LENGTH:
        raise ListingFieldTooLong(
            _("商品描述不能超过 %(limit)d 个字（现有 %(length)d 个）。")
            % {"limit": DESCRIPTION_MAX_LENGTH, "length": len(text)},
            field="description",
        )
    return text


def attribute_value_check(code: str, value: str) -> str:
    value = (value or "").strip()
    if len(value) > ATTRIBUTE_VALUE_MAX_LENGTH:
        label = dict(LISTING_ATTRIBUTES).get(code, code)
        raise ListingFieldTooLong(
            _("“%(label)s”不能超过 %(limit)d 个字符（现有 %(length)d 个）。")
            % {"label": label, "limit": ATTRIBUTE_VALUE_MAX_LENGTH, "length": len(value)},
            field=f"attr_{code}",
        )
    return value


def price_check(price: Decimal) -> Decimal:
    if price is None:
        raise ListingFieldRequired(_("价格不能为空。"), field="price")
    if not price.is_finite() or price <= 0:
        raise ListingPriceOutOfBounds(_("价格必须大于 0。"), field="price")
    if price != price.quantize(Decimal(1).scaleb(-PRICE_DECIMAL_PLACES)):
        raise ListingPriceOutOfBounds(_("价格最多保留两位小数。"), field="price")
    if price > PRICE_MAX:
        raise ListingPriceOutOfBounds(
            _("价格不能超过 %(limit)s 元。") % {"limit": PRICE_MAX}, field="price"
        )
    return price.quantize(Decimal(1).scaleb(-PRICE_DECIMAL_PLACES))


def stock_check(num_in_stock: int) -> int:
    if num_in_stock is None:
        raise ListingFieldRequired(_("库存不能为空。"), field="num_in_stock")
    if not STOCK_MIN <= num_in_stock <= STOCK_MAX:
        raise ListingStockOutOfBounds(
            _("库存应在 %(min)d 到 %(max)d 件之间。") % {"min": STOCK_MIN, "max": STOCK_MAX},
            field="num_in_stock",
        )
    return num_in_stock


def photo_count_check(count: int) -> int:
    """``count`` photos on one listing, after an upload."""
    if count > MAX_PRODUCT_PHOTOS:
        raise ListingPhotoLimit(params={"limit": MAX_PRODUCT_PHOTOS})
    return count


def variant_spec_check(spec: str, *, taken: Iterable[str] = ()) -> str:
    """A variant's 规格 as typed: required, short, and unlike the listing's
    other specs (``taken``), compared as people read them."""
    spec = (spec or "").strip()
    if not spec:
        raise ListingFieldRequired(_("规格不能为空，如 250g、500g、礼盒装。"), field="attr_spec")
    spec = attribute_value_check(VARIANT_ATTRIBUTE, spec)
    if spec.casefold() in {t.strip().casefold() for t in taken}:
        raise VariantSpecTaken(params={"spec": spec})
    return spec


def variant_count_check(count: int) -> int:
    """``count`` variants on one listing, after an addition."""
    if count > MAX_PRODUCT_VARIANTS:
        raise VariantLimit(params={"limit": MAX_PRODUCT_VARIANTS})
    return count


def variant_title(parent_title: str, spec: str) -> str:
    """A variant's own title, "柞水木耳（250g）": what the basket, the order and
    the invoice say was bought, within the title column."""
    suffix = f"（{spec}）"
    return parent_title[: TITLE_MAX_LENGTH - len(suffix)] + suffix


def fields_needing_review(changed: Iterable[str]) -> list[str]:
    """The reviewed fields among ``changed`` (form field names such as
    ``attr_spec`` count as ``attributes``), in a fixed order."""
    names = {"attributes" if name.startswith("attr_") else name for name in changed}
    return [name for name in REVIEWED_FIELDS if name in names]


def reviewed_field_labels(names: Iterable[str]) -> list[str]:
    return [str(REVIEWED_FIELD_LABELS.get(name, name)) for name in names]


def as_validator(check: Callable, *args) -> Callable:
    """A form validator that applies ``check(*args, value)`` and reports a
    broken rule as a field error with the rule's code."""

    def validator(value):
        try:
            check(*args, value)
        except ListingRuleBroken as broken:
            raise ValidationError(str(broken), code=broken.code) from None

    return validator


def limits() -> dict:
    """The limits people are shown next to the fields they limit."""
    return {
        "title_max_length": TITLE_MAX_LENGTH,
        "description_max_length": DESCRIPTION_MAX_LENGTH,
        "description_required": DESCRIPTION_REQUIRED,
        "attribute_value_max_length": ATTRIBUTE_VALUE_MAX_LENGTH,
        "sku_max_length": SKU_MAX_LENGTH,
        "stock_max": STOCK_MAX,
        "price_max": PRICE_MAX,
        "max_product_photos": MAX_PRODUCT_PHOTOS,
        "max_product_variants": MAX_PRODUCT_VARIANTS,
    }


# --- price watch (价格监测) --------------------------------------------------------
# A listing is flagged when its price is above the applicable reference market
# price × (1 + PRICE_WATCH_MARGIN). The applicable reference of a product is
# the one recorded for the product's category or a category above it, in the
# province the product comes from or nationwide; the most specific wins: the
# province's before the nationwide one, then the deepest category, then the
# latest observation. Every page and the bulletin read it through these two
# functions, in SQL (catalogue.selectors.price_watch_listings) or for one price.


def price_watch_threshold(reference):
    """The highest unflagged price for ``reference``: a Decimal, or a query
    expression over a reference price column."""
    margin = Decimal(str(settings.PRICE_WATCH_MARGIN))
    return reference * (Decimal(1) + margin)


def price_is_flagged(price: Decimal, reference: Decimal | None) -> bool:
    return reference is not None and price > price_watch_threshold(reference)


def price_percent_above(price: Decimal, reference: Decimal | None) -> Decimal | None:
    """How far ``price`` is above ``reference``, in percent to one place
    (negative when below); None without a reference."""
    if price is None or not reference:
        return None
    return ((price - reference) * 100 / reference).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def applicable_reference_prices(*, product, province) -> QuerySet:
    """Reference prices that apply to ``product`` (whose categories are
    looked up) from ``province``, most applicable first. Both may be ids,
    instances or OuterRef expressions (one level out from the references)."""
    ReferencePrice = get_model("catalogue", "ReferencePrice")
    ProductCategory = get_model("catalogue", "ProductCategory")
    if isinstance(product, OuterRef):
        product = OuterRef(product)
    filed_under = ProductCategory.objects.filter(
        product=product, category__path__startswith=OuterRef("category__path")
    )
    return (
        ReferencePrice.objects.filter(Exists(filed_under))
        .filter(Q(region__isnull=True) | Q(region=province))
        .order_by(F("region").asc(nulls_last=True), "-category__depth", "-observed_on", "-pk")
    )


@dataclass(frozen=True)
class ReferencePriceData:
    category: object
    region: object
    price: Decimal
    unit: str
    source: str
    observed_on: datetime.date


def reference_price_check(
    *, category, region, price, unit: str, source: str, observed_on, today=None
) -> ReferencePriceData:
    """A reference price's values checked (the staff form, the importer and
    the service all call this): a price above 0, a province or nationwide
    (``region`` None), a unit and a source, observed no later than today."""
    if price is None or not price.is_finite() or price <= 0 or price > PRICE_MAX:
        raise ReferencePriceNotPositive()
    if region is not None and region.level != "province":
        raise ReferencePriceRegionNotProvince()
    for label, value, limit in ((_("计价单位"), unit, 16), (_("价格来源"), source, 128)):
        if not (value or "").strip():
            raise ReferencePriceFieldRequired(params={"field": label})
        if len(value.strip()) > limit:
            raise ReferencePriceFieldTooLong(params={"field": label, "limit": limit})
    if observed_on > (today or timezone.localdate()):
        raise ReferencePriceDateInFuture()
    return ReferencePriceData(
        category=category,
        region=region,
        price=price.quantize(Decimal("0.01")),
        unit=unit.strip(),
        source=source.strip(),
        observed_on=observed_on,
    )


# --- Who may review a product ----------------------------------------------------------

# What the product page and the review form say to a shopper who may not review.
REVIEW_NOT_PERMITTED_HINT = gettext_lazy(
    "确认收货后才能评价：只有收到这件商品的买家可以写评价，每人一次。"
)


def product_reviewable_by(*, product, user) -> bool:
    """Whether ``user`` may review ``product``: a signed-in customer who
    received it, that is who holds an order line of it (or of one of its
    variants) that is complete (确认收货, by them or after
    ``ORDER_AUTO_CONFIRM_DAYS``), of a listing that is live. Shipped is not
    enough: the parcel may still be on its way. Oscar's own condition (one
    review per customer) is added by ``Product.is_review_permitted``."""
    if not user.is_authenticated or not product.is_visible_to_public:
        return False
    Line = get_model("order", "Line")
    return Line.objects.filter(
        Q(product=product) | Q(product__parent=product),
        order__user=user,
        status=settings.ORDER_STATUS_COMPLETE,
    ).exists()


def catalogue_import_is_stale(job, *, now: datetime.datetime | None = None) -> bool:
    """Whether an import job that should be running has reported nothing for
    longer than CATALOGUE_IMPORT_STALE_MINUTES: its worker died or was killed
    (a progress report comes at least every few seconds while one works). Such
    a job is shown as failed and no longer blocks the producer's next upload;
    should its worker still be alive, it rolls back instead of finishing."""
    if job.status not in job.ACTIVE:
        return False
    now = now or timezone.now()
    limit = datetime.timedelta(minutes=settings.CATALOGUE_IMPORT_STALE_MINUTES)
    return now - job.updated_at > limit


def catalogue_import_status_shown(job, *, now: datetime.datetime | None = None) -> str:
    """The status the producer is shown: the job's, or failed when it is stale."""
    return job.Status.FAILED if catalogue_import_is_stale(job, now=now) else job.status
