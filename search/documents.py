"""What gets indexed for a product, built once and written to both backends."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum
from django.utils import timezone
from django.utils.html import strip_tags
from oscar.core.loading import get_model

from producers.models import Certificate
from search import analysis

Product = get_model("catalogue", "Product")
Line = get_model("order", "Line")


@dataclass
class ProductDocument:
    id: int
    title: str
    title_words: str
    title_pinyin: str
    title_initials: str
    description: str
    description_words: str
    place_words: str
    place_pinyin: str
    place_initials: str
    producer_name: str
    producer_words: str
    producer_pinyin: str
    producer_initials: str
    category_ids: list[int]
    category_names: str
    province_code: str
    city_code: str
    county_code: str
    producer_id: int
    certificate_kinds: list[str]
    is_key_county: bool
    price: Decimal | None
    in_stock: bool
    num_sold: int
    date_created: datetime
    suggest: list[str] = field(default_factory=list)


def searchable_products():
    """Products a consumer may find: browsable (visible to the public, not
    variants), with a producer and a price. Stock is a filter, not a
    condition: sold-out products stay findable.

    A multi-spec listing is indexed once, as its parent: variants share its
    title, description, origin and category, so one result per listing, with
    the lowest price of its offered variants (what "¥x 起" means and what the
    price filter and sort use) and in stock when any of them is. The price comes
    from the variants, so the parent needs one offered variant with a price."""
    return (
        Product.objects.browsable()
        .filter(producer__isnull=False)
        .filter(
            Q(stockrecords__price__isnull=False) | Q(pk__in=_priced_variants().values("parent_id"))
        )
        .distinct()
    )


def _priced_variants():
    # The visibility rule decides which variants a listing offers.
    return Product.objects.visible_to_public().filter(
        parent__isnull=False, stockrecords__price__isnull=False
    )


def _units_sold(product_ids) -> dict[int, int]:
    """Units sold per product; a variant's sales count for its listing."""
    rows = (
        Line.objects.filter(Q(product_id__in=product_ids) | Q(product__parent_id__in=product_ids))
        .values("product_id", "product__parent_id")
        .annotate(total=Sum("quantity"))
    )
    sold: dict[int, int] = {}
    for r in rows:
        listing = r["product__parent_id"] or r["product_id"]
        sold[listing] = sold.get(listing, 0) + (r["total"] or 0)
    return sold


def _offered_stockrecords(product) -> list:
    """The stock records a listing sells from: its own, or its public variants'."""
    if product.is_parent:
        return [r for child in product.public_variants for r in child.stockrecords.all()]
    return list(product.stockrecords.all())


def build_documents(product_ids, *, today: date | None = None) -> list[ProductDocument]:
    """Documents for those of ``product_ids`` that are searchable, in a fixed
    number of queries."""
    today = today or timezone.localdate()
    products = (
        searchable_products()
        .filter(pk__in=list(product_ids))
        .select_related("producer__partner", "origin_county__parent__parent")
        .prefetch_related(
            "stockrecords",
            Prefetch(
                "children",
                queryset=Product.objects.visible_to_public().prefetch_related("stockrecords"),
                to_attr="public_variants",
            ),
            "categories",
            Prefetch(
                "certificates",
                queryset=Certificate.objects.filter(valid_from__lte=today, valid_until__gte=today),
                to_attr="valid_certificates",
            ),
        )
    )
    sold = _units_sold(product_ids)
    category_paths, category_names = _category_ancestors()
    documents = []
    for product in products:
        county = product.origin_county
        chain = county.ancestors_and_self()
        province, city = chain[0], (chain[1] if len(chain) == 3 else None)
        records = _offered_stockrecords(product)
        prices = [r.price for r in records if r.price is not None]
        title = analysis.analyse(product.title)
        description = strip_tags(product.description or "")
        place = analysis.analyse(" ".join(r.name for r in chain))
        producer_name = product.producer.partner.name
        producer = analysis.analyse(producer_name)
        category_ids = sorted(
            {a for c in product.categories.all() for a in category_paths.get(c.pk, [c.pk])}
        )
        documents.append(
            ProductDocument(
                id=product.pk,
                title=product.title,
                title_words=title["words"],
                title_pinyin=title["pinyin"],
                title_initials=title["initials"],
                description=description,
                description_words=analysis.words_only(description),
                place_words=place["words"],
                place_pinyin=place["pinyin"],
                place_initials=place["initials"],
                producer_name=producer_name,
                producer_words=producer["words"],
                producer_pinyin=producer["pinyin"],
                producer_initials=producer["initials"],
                category_ids=category_ids,
                # 茶 in 紫阳茶 is often said only by the category (茶叶 > 绿茶).
                category_names=" ".join(category_names.get(c, "") for c in category_ids),
                province_code=province.code,
                city_code=city.code if city else "",
                county_code=county.code,
                producer_id=product.producer_id,
                certificate_kinds=sorted({c.kind for c in product.valid_certificates}),
                is_key_county=county.is_key_assistance_county,
                price=min(prices) if prices else None,
                in_stock=any((r.num_in_stock or 0) - (r.num_allocated or 0) > 0 for r in records),
                num_sold=sold.get(product.pk, 0),
                date_created=product.date_created,
                suggest=_suggest_inputs(product.title, title),
            )
        )
    return documents


def _suggest_inputs(raw_title: str, title: dict) -> list[str]:
    inputs = [
        raw_title,
        *title["words"].split(),
        *title["pinyin"].split(),
        *title["initials"].split(),
    ]
    return list(dict.fromkeys(i for i in inputs if len(i) >= 2))


def _category_ancestors() -> tuple[dict[int, list[int]], dict[int, str]]:
    """Each category with its ancestors, so filtering on a parent finds products
    filed under its children, and every category's name. Categories are few;
    one query."""
    Category = get_model("catalogue", "Category")
    categories = list(Category.objects.only("pk", "path", "depth", "name"))
    by_path = {c.path: c.pk for c in categories}
    names = {c.pk: c.name for c in categories}
    step = Category.steplen
    ancestors = {
        pk: [
            by_path[path[: i * step]]
            for i in range(1, len(path) // step + 1)
            if path[: i * step] in by_path
        ]
        for path, pk in by_path.items()
    }
    return ancestors, names
