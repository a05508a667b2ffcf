"""The database backend's entries written with COPY on PostgreSQL: the rows
left behind are exactly those the ORM's delete-then-insert leaves (the entry
with its text vector, the category links, the certificate kinds), whether
the entries are new, stale or gone, and however many writes share one
transaction."""

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction

import search.indexing
from producers.models import Certificate
from search.documents import build_documents
from search.models import ProductSearchCertificateKind, ProductSearchEntry
from tests.factories import CategoryFactory, ProducerFactory, county, product_with_stock
from tests.factories.catalogue import multi_spec_product

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="COPY is PostgreSQL's; SQLite keeps bulk_create"
    ),
]

Link = ProductSearchEntry.categories.through


def _catalogue() -> list[int]:
    teas, fungi = CategoryFactory(name="茶叶"), CategoryFactory(name="菌菇干货")
    gifts = CategoryFactory(name="礼盒")
    zhashui = ProducerFactory(name="柞水县秦岭山珍专业合作社")
    ziyang = ProducerFactory(name="紫阳县汉江富硒茶叶专业合作社", county=county("610924"))
    products = [
        product_with_stock(
            title="柞水黑木耳 250g 袋装",
            description="<p>产自秦岭南麓，自然晾晒。泡发率高，口感爽脆。</p>",
            producer=zhashui,
            categories=[fungi, gifts],
            price=Decimal("39.90"),
        ),
        product_with_stock(
            title="紫阳毛尖 一级 250g",
            description="<p>紫阳县传统名茶，富硒。每卖出一份，帮扶一户茶农。</p>",
            producer=ziyang,
            categories=[teas],
            price=Decimal("98.00"),
            stock=0,
        ),
        product_with_stock(
            title="O'Brien's \"tea\" \\ 50% 茶 tab\there",
            description="<p>Quote ' and backslash \\ and a tab\tand a newline\nin text.</p>",
            producer=ziyang,
            categories=[teas, gifts],
        ),
        multi_spec_product(title="柞水木耳 多规格", producer=zhashui, categories=[fungi]),
    ]
    for i, product in enumerate(products[:2]):
        certificate = Certificate.objects.create(
            producer=product.producer,
            kind=Certificate.Kind.GREEN_FOOD,
            number=f"LB-15-230506120{i}",
            issuer="中国绿色食品发展中心",
            valid_from=date.today() - timedelta(days=30),
            valid_until=date.today() + timedelta(days=300),
        )
        certificate.products.add(product)
    return [p.pk for p in products]


def _rows() -> dict:
    entries = list(ProductSearchEntry.objects.order_by("pk").values())
    for entry in entries:
        # The vector as PostgreSQL prints it back: its parsed form.
        entry["search_vector"] = str(entry["search_vector"])
    return {
        "entries": entries,
        "links": sorted(Link.objects.values_list("productsearchentry_id", "category_id")),
        "kinds": sorted(ProductSearchCertificateKind.objects.values_list("entry_id", "kind")),
    }


def _documents(ids: list[int]) -> list:
    # In the order of ids: build_documents keeps none, and the tests pair
    # slices of the documents with slices of ids.
    return sorted(build_documents(ids), key=lambda d: ids.index(d.id))


def _copy(documents, ids):
    search.indexing._copy_entries(documents, set(ids))


def _bulk(documents, ids):
    search.indexing._bulk_entries(documents, set(ids))


def test_copy_writes_the_rows_the_orm_writes():
    ids = _catalogue()
    documents = _documents(ids)
    assert len(documents) == 4 and all(d.category_ids for d in documents)
    _bulk(documents, ids)
    expected = _rows()
    assert len(expected["entries"]) == 4 and expected["kinds"]
    ProductSearchEntry.objects.all().delete()

    _copy(documents, ids)

    assert _rows() == expected


def test_copy_over_stale_entries_leaves_what_delete_and_insert_leaves():
    ids = _catalogue()
    documents = _documents(ids)
    first, second, third, fourth = documents
    fungi = next(c for c in first.category_ids if c not in second.category_ids)
    stale = [
        dataclasses.replace(first, title="旧标题", num_sold=7, price=None, certificate_kinds=[]),
        dataclasses.replace(
            second,
            category_ids=[*second.category_ids, fungi],
            certificate_kinds=["organic", *second.certificate_kinds],
            in_stock=True,
        ),
        third,
        dataclasses.replace(fourth, title_pinyin="jiude", description_words="旧 词"),
    ]
    _bulk(stale, ids)
    # The third is no longer searchable: its entry must go.
    fresh = [first, second, fourth]
    _bulk(fresh, ids)
    expected = _rows()
    _bulk(stale, ids)
    assert _rows() != expected

    _copy(fresh, ids)

    assert _rows() == expected
    assert third.id not in {e["product_id"] for e in expected["entries"]}


def test_writes_sharing_a_transaction_do_not_see_each_others_batches():
    ids = _catalogue()
    documents = _documents(ids)
    _bulk(documents, ids)
    expected = _rows()
    ProductSearchEntry.objects.all().delete()

    with transaction.atomic():
        _copy(documents[:2], ids[:2])
        _copy(documents[2:], ids[2:])
        _copy(documents[:1], ids[:1])  # again: nothing doubled

    assert _rows() == expected


def test_an_unchanged_entry_is_left_as_it_is():
    ids = _catalogue()
    documents = _documents(ids)
    _copy(documents, ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT product_id, ctid::text FROM {ProductSearchEntry._meta.db_table} ORDER BY 1"
        )
        before = cursor.fetchall()
    changed = dataclasses.replace(documents[0], num_sold=documents[0].num_sold + 1)

    _copy([changed, *documents[1:]], ids)

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT product_id, ctid::text FROM {ProductSearchEntry._meta.db_table} ORDER BY 1"
        )
        after = dict(cursor.fetchall())
    # Only the changed entry got a new row version.
    assert [pk for pk, ctid in before if after[pk] != ctid] == [changed.id]
    assert ProductSearchEntry.objects.get(pk=changed.id).num_sold == changed.num_sold


def test_a_wide_entry_keeps_its_text_vector_inline():
    # Search migration 0010: a vector moved out of line (TOAST) was fetched
    # and copied back for every match recheck and relevance clause.
    words = " ".join(f"spec{n:03d}" for n in range(300))
    product = product_with_stock(title="柞水黑木耳 大包装", description=f"<p>{words}</p>")
    _copy(_documents([product.pk]), [product.pk])
    table = ProductSearchEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_column_size(search_vector) FROM {table}")
        (size,) = cursor.fetchone()
        cursor.execute(
            f"SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = '{table}'"
        )
        (toast,) = cursor.fetchone()
        cursor.execute(f"SELECT COUNT(*) FROM {toast}")
        (chunks,) = cursor.fetchone()
    assert size > 2100  # wide enough that a default table would TOAST it
    assert chunks == 0


def test_a_word_of_several_fields_is_one_lexeme_with_each_fields_positions_and_weights():
    # search.fulltext writes each field's part of the vector on its own (the
    # parts of a county's or a producer's many listings are worked out once);
    # PostgreSQL merges a lexeme the parts share.
    zhashui = ProducerFactory(name="柞水县秦岭山珍专业合作社")
    product = product_with_stock(title="黑木耳 250g", producer=zhashui)
    _copy(_documents([product.pk]), [product.pk])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.positions::int[], u.weights::text[] "
            f"FROM {ProductSearchEntry._meta.db_table} e, unnest(e.search_vector) u "
            "WHERE e.product_id = %s AND u.lexeme = 'w柞水县'",
            [product.pk],
        )
        positions, weights = cursor.fetchone()
    fields = {
        ("place", w) if 3000 <= p < 4000 else ("producer", w)
        for p, w in zip(positions, weights, strict=True)
    }
    assert fields == {("place", "B"), ("producer", "C")}
    assert all(3000 <= p < 5000 for p in positions)
