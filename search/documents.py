"""What gets indexed for a product, built once and written to both backends."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q, Sum
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


def _units_sold(product_ids=None) -> dict[int, int]:
    """Units sold per product; a variant's sales count for its listing. All
    products when ``product_ids`` is None (a rebuild reads them once)."""
    lines = Line.objects.all()
    if product_ids is not None:
        lines = lines.filter(Q(product_id__in=product_ids) | Q(product__parent_id__in=product_ids))
    rows = lines.values("product_id", "product__parent_id").annotate(total=Sum("quantity"))
    sold: dict[int, int] = {}
    for r in rows:
        listing = r["product__parent_id"] or r["product_id"]
        sold[listing] = sold.get(listing, 0) + (r["total"] or 0)
    return sold


@dataclass
class Shared:
    """What every batch of a rebuild reads alike, read once for all of them:
    units sold per listing and the category tree."""

    sold: dict[int, int]
    category_paths: dict[int, list[int]]
    category_names: dict[int, str]

    @classmethod
    def read(cls) -> "Shared":
        return cls(_units_sold(), *_category_ancestors())


@dataclass
class ProductRow:
    """What the database says about one searchable product, before text
    analysis: plain values, so a batch pickles cheaply to the worker processes
    of a rebuild (search.indexing), where ``documents_from_rows`` analyses it."""

    id: int
    title: str
    description_html: str
    place_names: list[str]  # province, city, county
    province_code: str
    city_code: str
    county_code: str
    is_key_county: bool
    producer_id: int
    producer_name: str
    category_ids: list[int]
    category_names: str
    certificate_kinds: list[str]
    price: Decimal | None
    in_stock: bool
    num_sold: int
    date_created: datetime


def fetch_rows(
    product_ids, *, today: date | None = None, shared: Shared | None = None
) -> list[ProductRow]:
    """The rows of those of ``product_ids`` that are searchable, in a fixed
    number of queries whatever their number (values only: building model
    instances cost more than the queries). ``shared``: sales and categories
    read beforehand for a whole rebuild."""
    from partner.models import StockRecord
    from regions.models import Region

    today = today or timezone.localdate()
    ids = list(product_ids)
    products = list(
        searchable_products()
        .filter(pk__in=ids)
        .order_by()
        .values_list(
            "pk",
            "title",
            "description",
            "structure",
            "producer_id",
            "producer__partner__name",
            "origin_county_id",
            "date_created",
        )
    )
    if not products:
        return []
    found = [p[0] for p in products]
    parents = {p[0] for p in products if p[3] == Product.PARENT}
    records: dict[int, list[tuple]] = {}
    # A listing sells from its own stock records, a multi-spec listing from
    # those of its public variants.
    for owner, price, in_stock, allocated in StockRecord.objects.filter(
        product_id__in=[pk for pk in found if pk not in parents]
    ).values_list("product_id", "price", "num_in_stock", "num_allocated"):
        records.setdefault(owner, []).append((price, in_stock, allocated))
    if parents:
        variants = Product.objects.visible_to_public().filter(parent_id__in=parents)
        for owner, price, in_stock, allocated in StockRecord.objects.filter(
            product__in=variants
        ).values_list("product__parent_id", "price", "num_in_stock", "num_allocated"):
            records.setdefault(owner, []).append((price, in_stock, allocated))
    filed: dict[int, set[int]] = {}
    # order_by(): the through model's default order would join the products
    # and the categories only to sort them.
    for owner, category in (
        Product.categories.through.objects.filter(product_id__in=found)
        .order_by()
        .values_list("product_id", "category_id")
    ):
        filed.setdefault(owner, set()).add(category)
    kinds: dict[int, set[str]] = {}
    for owner, kind in Certificate.products.through.objects.filter(
        product_id__in=found,
        certificate__valid_from__lte=today,
        certificate__valid_until__gte=today,
    ).values_list("product_id", "certificate__kind"):
        kinds.setdefault(owner, set()).add(kind)
    counties = Region.objects.filter(pk__in={p[6] for p in products}).select_related(
        "parent__parent"
    )
    chains = {c.pk: c.ancestors_and_self() for c in counties}
    if shared is None:
        shared = Shared(_units_sold(found), *_category_ancestors())
    sold, category_paths, category_names = (
        shared.sold,
        shared.category_paths,
        shared.category_names,
    )

    rows = []
    for (
        pk,
        title,
        description,
        _structure,
        producer_id,
        producer_name,
        county_id,
        created,
    ) in products:
        chain = chains[county_id]
        province, city, county = chain[0], (chain[1] if len(chain) == 3 else None), chain[-1]
        offered = records.get(pk, [])
        prices = [price for price, _s, _a in offered if price is not None]
        category_ids = sorted({a for c in filed.get(pk, ()) for a in category_paths.get(c, [c])})
        rows.append(
            ProductRow(
                id=pk,
                title=title,
                description_html=description or "",
                place_names=[r.name for r in chain],
                province_code=province.code,
                city_code=city.code if city else "",
                county_code=county.code,
                is_key_county=county.is_key_assistance_county,
                producer_id=producer_id,
                producer_name=producer_name,
                category_ids=category_ids,
                # 茶 in 紫阳茶 is often said only by the category (茶叶 > 绿茶).
                category_names=" ".join(category_names.get(c, "") for c in category_ids),
                certificate_kinds=sorted(kinds.get(pk, ())),
                price=min(prices) if prices else None,
                in_stock=any((s or 0) - (a or 0) > 0 for _p, s, a in offered),
                num_sold=sold.get(pk, 0),
                date_created=created,
            )
        )
    return rows


def documents_from_rows(rows: list[ProductRow]) -> list[ProductDocument]:
    """The text analysis (jieba words, pinyin, initials) of a batch of rows:
    no database, so a rebuild runs it in worker processes."""
    documents = []
    for row in rows:
        title = analysis.analyse(row.title)
        description = strip_tags(row.description_html)
        place = analysis.analyse(" ".join(row.place_names))
        producer = analysis.analyse(row.producer_name)
        documents.append(
            ProductDocument(
                id=row.id,
                title=row.title,
                title_words=title["words"],
                title_pinyin=title["pinyin"],
                title_initials=title["initials"],
                description=description,
                description_words=analysis.words_only(description),
                place_words=place["words"],
                place_pinyin=place["pinyin"],
                place_initials=place["initials"],
                producer_name=row.producer_name,
                producer_words=producer["words"],
                producer_pinyin=producer["pinyin"],
                producer_initials=producer["initials"],
                category_ids=row.category_ids,
                category_names=row.category_names,
                province_code=row.province_code,
                city_code=row.city_code,
                county_code=row.county_code,
                producer_id=row.producer_id,
                certificate_kinds=row.certificate_kinds,
                is_key_county=row.is_key_county,
                price=row.price,
                in_stock=row.in_stock,
                num_sold=row.num_sold,
                date_created=row.date_created,
                suggest=_suggest_inputs(row.title, title),
            )
        )
    return documents


def build_documents(product_ids, *, today: date | None = None) -> list[ProductDocument]:
    """Documents for those of ``product_ids`` that are searchable, in a fixed
    number of queries."""
    return documents_from_rows(fetch_rows(product_ids, today=today))


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
