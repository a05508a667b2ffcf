"""The entry's facet arrays on PostgreSQL (search migration 0008): category ids
(with their ancestors) and certificate kinds written with the entry from the
same document as the link tables, kept in step when the product's categories
or certificates change (the outbox writes the entry again), and counted to the
same facet numbers as the join over the link tables that SQLite still uses."""

from datetime import date, timedelta

import pytest
from django.db import connection

from producers.models import Certificate
from search.backends import database
from search.backends.base import SearchQuery
from search.backends.database import DatabaseBackend
from search.models import ProductSearchCertificateKind, ProductSearchEntry
from tests.factories import CategoryFactory, ProducerFactory, product_with_stock

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the arrays are PostgreSQL's; SQLite joins"
    ),
]

CategoryLink = ProductSearchEntry.categories.through


def link_values(entry_id: int) -> tuple[list[int], list[str]]:
    """What the link tables say: the join-based facets read these."""
    categories = CategoryLink.objects.filter(productsearchentry_id=entry_id)
    kinds = ProductSearchCertificateKind.objects.filter(entry_id=entry_id)
    return (
        sorted(categories.values_list("category_id", flat=True)),
        sorted(kinds.values_list("kind", flat=True)),
    )


def array_values(entry_id: int) -> tuple[list[int], list[str]]:
    entry = ProductSearchEntry.objects.get(pk=entry_id)
    return sorted(entry.facet_category_ids), sorted(entry.facet_certificate_kinds)


@pytest.fixture
def tea(search_index):
    tea_root = CategoryFactory(name="茶叶")
    green = tea_root.add_child(name="绿茶")
    producer = ProducerFactory(name="紫阳县汉江富硒茶叶专业合作社")
    product = product_with_stock(title="紫阳毛尖 一级 250g", producer=producer, categories=[green])
    Certificate.objects.create(
        producer=producer,
        kind=Certificate.Kind.GEOGRAPHICAL_INDICATION,
        number="GI-2019-0001",
        issuer="国家知识产权局",
        valid_from=date.today() - timedelta(days=30),
        valid_until=date.today() + timedelta(days=365),
    ).products.add(product)
    search_index()
    return {"product": product, "root": tea_root, "green": green, "producer": producer}


def test_the_index_writes_the_arrays_with_the_link_tables(tea):
    pk = tea["product"].pk

    categories, kinds = array_values(pk)
    assert categories == sorted([tea["root"].pk, tea["green"].pk]), "the parent comes along"
    assert kinds == ["gi"]
    assert (categories, kinds) == link_values(pk)


def test_a_category_change_reaches_the_array(tea, django_capture_on_commit_callbacks):
    product = tea["product"]
    fungi = CategoryFactory(name="菌菇干货")
    with django_capture_on_commit_callbacks(execute=True):
        product.categories.set([fungi])

    assert array_values(product.pk)[0] == [fungi.pk]
    assert array_values(product.pk)[0] == link_values(product.pk)[0]
    only_fungi = DatabaseBackend().search(SearchQuery(filters={"category": (str(fungi.pk),)}))
    assert [h.product_id for h in only_fungi.hits] == [product.pk]
    old = DatabaseBackend().search(SearchQuery(filters={"category": (str(tea["root"].pk),)}))
    assert old.total == 0


def test_certificates_starting_and_lapsing_reach_the_array(tea, django_capture_on_commit_callbacks):
    product = tea["product"]
    with django_capture_on_commit_callbacks(execute=True):
        green_food = Certificate.objects.create(
            producer=tea["producer"],
            kind=Certificate.Kind.GREEN_FOOD,
            number="LB-15-2305061234",
            issuer="中国绿色食品发展中心",
            valid_from=date.today() - timedelta(days=365),
            valid_until=date.today() + timedelta(days=365),
        )
        green_food.products.add(product)

    assert array_values(product.pk)[1] == ["gi", "green"]

    with django_capture_on_commit_callbacks(execute=True):
        green_food.valid_until = date.today() - timedelta(days=1)
        green_food.save()

    assert array_values(product.pk)[1] == ["gi"]
    assert array_values(product.pk)[1] == link_values(product.pk)[1]


@pytest.fixture
def both_counts(monkeypatch):
    """Every search's total and facets from the arrays (what it returns) and,
    beside it, from the link tables (the join-based query SQLite runs)."""
    seen = []
    original = database._total_and_facets

    def spy(base, filters, active, vendor):
        arrays = original(base, filters, active, vendor)
        joined = original(base, filters, active, "sqlite")
        seen.append((arrays, joined))
        return arrays

    monkeypatch.setattr(database, "_total_and_facets", spy)
    return seen


def _comparable(result):
    total, facets = result
    return total, {
        name: sorted((o.value, o.count, o.selected) for o in options)
        for name, options in facets.items()
    }


NOTHING_VALID = ("99999999999", "x")


@pytest.mark.parametrize(
    ("text", "filters"),
    [
        ("", {}),
        ("茶", {}),
        ("木耳", {"province": ("610000",)}),
        ("", {"category": ("fungi", "tea")}),
        ("", {"certificate": ("gi", "organic")}),
        ("", {"certificate": ("gi",), "category": ("fruit",), "availability": ("in_stock",)}),
        ("", {"key_county": ("true",), "price": ("0-50", "50-100")}),
        ("", {"category": NOTHING_VALID}),
    ],
)
def test_array_facet_counts_equal_the_join_based_counts(corpus, both_counts, text, filters):
    if filters.get("category", NOTHING_VALID) != NOTHING_VALID:
        filters = {**filters, "category": tuple(corpus.category_id(v) for v in filters["category"])}
    results = DatabaseBackend().search(SearchQuery(text=text, filters=filters, per_page=1000))

    arrays, joined = both_counts[-1]
    assert _comparable(arrays) == _comparable(joined)
    assert arrays[0] == results.total
    if filters.get("category") != NOTHING_VALID:
        assert results.total > 0, "a query that finds something, or the test proves little"
        assert results.facets["category"] and results.facets["certificate"]
