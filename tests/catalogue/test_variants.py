"""Multi-spec listings (多规格商品): Oscar parent and child products. The parent
carries what the listing claims and is reviewed; each 规格 has its own price and
stock record; the product page offers the choice and the basket takes the child
at its price; search finds the listing once; the catalogue import refuses a
variant's code with a reason instead of breaking it."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from catalogue.exceptions import CatalogueImportRejected
from catalogue.importers import CatalogueExporter, CatalogueImporter
from catalogue.models import ReviewStatus
from catalogue.rules import MAX_PRODUCT_VARIANTS
from catalogue.services import (
    ListingContent,
    VariantDetails,
    product_multi_spec_listing_create,
    product_review_approve,
    product_variant_add,
    product_variant_update,
)
from search.documents import build_documents, searchable_products
from tests.factories import (
    CategoryFactory,
    StaffUserFactory,
    multi_spec_product,
    upload,
)
from tests.factories.producers import producer_with_user

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.django_db


def content(producer, **overrides):
    values = {
        "title": "柞水黑木耳",
        "description": "秦岭椴木栽培。",
        "category": CategoryFactory(name="干货"),
        "origin_county": producer.county,
        "attributes": {"shelf_life": "24个月", "spec": "ignored"},
    }
    values.update(overrides)
    return ListingContent(**values)


def variant(spec, sku, price="39.90", stock=10):
    return VariantDetails(spec=spec, sku=sku, price=Decimal(price), num_in_stock=stock)


@pytest.fixture
def seller():
    return producer_with_user()


@pytest.fixture
def created(seller):
    producer, user = seller
    return product_multi_spec_listing_create(
        producer=producer,
        actor=user,
        content=content(producer),
        variants=[variant("250g", "MU-250", "39.90"), variant("500g", "MU-500", "72.00")],
    )


# --- services ---------------------------------------------------------------------


def test_a_multi_spec_listing_is_a_reviewed_parent_with_priced_children(seller, created):
    producer, _user = seller
    parent = created
    assert parent.is_parent and parent.review_status == ReviewStatus.PENDING
    assert not parent.stockrecords.exists()
    assert parent.attr.shelf_life == "24个月"
    assert not getattr(parent.attr, "spec", None), "the spec is each variant's own"
    children = list(parent.children.order_by("pk"))
    assert [c.attr.spec for c in children] == ["250g", "500g"]
    assert [c.title for c in children] == ["柞水黑木耳（250g）", "柞水黑木耳（500g）"]
    assert [c.stockrecords.get().price for c in children] == [Decimal("39.90"), Decimal("72.00")]
    assert {c.stockrecords.get().partner_id for c in children} == {producer.partner_id}
    assert all(not c.categories.exists() for c in children)


def test_a_new_spec_sends_a_live_listing_back_to_review(seller, created):
    _producer, user = seller
    product_review_approve(product=created, actor=StaffUserFactory())
    child = product_variant_add(
        parent=created, actor=user, variant=variant("礼盒装", "MU-BOX", "128.00")
    )
    assert child.attr.spec == "礼盒装"
    created.refresh_from_db()
    assert created.review_status == ReviewStatus.PENDING
    assert created.review_decisions.first().fields == ["attributes"]


def test_a_variants_price_and_stock_apply_at_once_a_renamed_spec_is_reviewed(seller, created):
    _producer, user = seller
    product_review_approve(product=created, actor=StaffUserFactory())
    child = created.children.order_by("pk").first()
    product_variant_update(variant=child, actor=user, price=Decimal("35.00"), num_in_stock=99)
    created.refresh_from_db()
    assert created.review_status == ReviewStatus.APPROVED
    record = child.stockrecords.get()
    assert (record.price, record.num_in_stock) == (Decimal("35.00"), 99)

    product_variant_update(variant=child, actor=user, spec="300g")
    created.refresh_from_db()
    assert created.review_status == ReviewStatus.PENDING
    child.refresh_from_db()
    assert child.title == "柞水黑木耳（300g）"


@pytest.mark.parametrize(
    "details, code",
    [
        (variant("250G ", "MU-X"), "listing_variant_spec_taken"),
        (variant("", "MU-X"), "listing_field_required"),
        (variant("1kg", "MU-250"), "sku_taken"),
        (variant("1kg", "=bad"), "listing_sku_invalid"),
        (variant("1kg", "MU-X", price="0"), "listing_price_out_of_bounds"),
    ],
)
def test_a_bad_spec_is_refused_with_a_code_and_adds_nothing(seller, created, details, code):
    _producer, user = seller
    with pytest.raises(Exception) as refused:
        product_variant_add(parent=created, actor=user, variant=details)
    assert refused.value.code == code
    assert created.children.count() == 2


def test_the_variant_cap(seller, created):
    _producer, user = seller
    for i in range(MAX_PRODUCT_VARIANTS - 2):
        product_variant_add(parent=created, actor=user, variant=variant(f"{i}kg", f"MU-K{i}"))
    with pytest.raises(Exception) as refused:
        product_variant_add(parent=created, actor=user, variant=variant("大包", "MU-BIG"))
    assert refused.value.code == "listing_variant_limit"
    assert created.children.count() == MAX_PRODUCT_VARIANTS


def test_specs_are_added_to_multi_spec_listings_only_and_by_their_producer(seller, created):
    from tests.factories import product_with_stock

    producer, user = seller
    single = product_with_stock(producer=producer)
    with pytest.raises(Exception) as refused:
        product_variant_add(parent=single, actor=user, variant=variant("1kg", "S-1"))
    assert refused.value.code == "listing_not_multi_spec"
    _other, stranger = producer_with_user()
    with pytest.raises(Exception) as refused:
        product_variant_add(parent=created, actor=stranger, variant=variant("1kg", "S-2"))
    assert refused.value.code == "listing_permission_denied"
    assert not single.children.exists() and created.children.count() == 2


def test_renaming_the_listing_renames_its_variants(seller, created):
    from catalogue.services import product_listing_update

    producer, user = seller
    product_listing_update(product=created, actor=user, content=content(producer, title="秦岭木耳"))
    assert sorted(created.children.values_list("title", flat=True)) == [
        "秦岭木耳（250g）",
        "秦岭木耳（500g）",
    ]


# --- workspace pages --------------------------------------------------------------


def test_the_workspace_creates_a_multi_spec_listing_and_adds_a_spec(client, seller):
    producer, user = seller
    client.force_login(user)
    category = CategoryFactory(name="干货")
    response = client.post(
        reverse("producers:workspace-multi-spec-create", args=[producer.pk]),
        {
            "title": "紫阳富硒茶",
            "category": category.pk,
            "description": "高山云雾。",
            "origin_county": producer.county_id,
            "variant_spec": "100g",
            "sku": "TEA-100",
            "price": "58.00",
            "num_in_stock": "30",
        },
    )
    parent = Product.objects.get(title="紫阳富硒茶")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "producers:workspace-product-variants", args=[producer.pk, parent.pk]
    )
    variants_url = response["Location"]
    response = client.post(
        variants_url, {"spec": "250g", "sku": "TEA-250", "price": "128.00", "num_in_stock": "5"}
    )
    assert response.status_code == 302
    body = client.get(variants_url).content.decode()
    assert "100g" in body and "250g" in body and "TEA-250" in body

    # The same spec again: a clear message on the form, nothing added.
    response = client.post(
        variants_url, {"spec": "250g", "sku": "TEA-251", "price": "1.00", "num_in_stock": "5"}
    )
    assert response.status_code == 200
    assert "规格“250g”已存在" in response.content.decode()
    assert parent.children.count() == 2

    child = parent.children.order_by("pk").first()
    edit = reverse(
        "producers:workspace-product-variant-edit", args=[producer.pk, parent.pk, child.pk]
    )
    response = client.post(
        edit, {"spec": "100g", "price": "60.00", "num_in_stock": "40", "is_public": "on"}
    )
    assert response.status_code == 302
    assert child.stockrecords.get().price == Decimal("60.00")

    # The listing's own edit page keeps price and stock to the variants.
    response = client.post(
        reverse("producers:workspace-product-edit", args=[producer.pk, parent.pk]),
        {
            "title": "紫阳富硒绿茶",
            "category": category.pk,
            "description": "高山云雾。",
            "origin_county": producer.county_id,
        },
    )
    assert response.status_code == 302
    assert child.stockrecords.get().price == Decimal("60.00")


def test_someone_elses_listing_or_variant_is_a_404(client, seller, created):
    _producer, user = seller
    other = multi_spec_product()
    client.force_login(user)
    producer = created.producer
    foreign_child = other.children.order_by("pk").first()
    own_child = created.children.order_by("pk").first()
    for url in [
        reverse("producers:workspace-product-variants", args=[producer.pk, other.pk]),
        reverse(
            "producers:workspace-product-variant-edit",
            args=[producer.pk, other.pk, foreign_child.pk],
        ),
        reverse(
            "producers:workspace-product-variant-edit",
            args=[producer.pk, created.pk, foreign_child.pk],
        ),
        reverse("producers:workspace-product-variants", args=[other.producer.pk, other.pk]),
    ]:
        response = client.post(
            url, {"spec": "x", "sku": "X-1", "price": "1.00", "num_in_stock": "1"}
        )
        assert response.status_code == 404, url
    assert other.children.count() == 2 and created.children.count() == 2
    assert own_child.stockrecords.get().price == Decimal("39.90")
    assert foreign_child.stockrecords.get().price == Decimal("39.90")


# --- product page and basket ------------------------------------------------------


def test_the_product_page_offers_each_spec_with_its_price(client):
    parent = multi_spec_product(
        specs=[
            ("250g", Decimal("39.90")),
            ("500g", Decimal("72.00")),
            ("礼盒装", Decimal("128.00")),
        ],
        photos=3,
    )
    body = client.get(parent.get_absolute_url()).content.decode()
    for spec in ("250g", "500g", "礼盒装"):
        assert spec in body
    assert 'name="child_id"' in body and 'form="add_to_basket_form"' in body
    assert "39.90" in body and "128.00" in body
    assert body.count('class="mkt-gallery-slide') == 3
    assert "第 3 张图片，共 3 张" in body


def test_the_basket_takes_the_chosen_spec_at_its_price(client):
    parent = multi_spec_product(specs=[("250g", Decimal("39.90")), ("500g", Decimal("72.00"))])
    child = parent.children.order_by("pk").last()
    response = client.post(
        reverse("basket:add", kwargs={"pk": parent.pk}), {"child_id": child.pk, "quantity": 2}
    )
    assert response.status_code == 302
    line = Basket.objects.get().lines.get()
    assert line.product == child
    assert line.price_incl_tax == Decimal("72.00")
    assert line.quantity == 2


def test_a_spec_of_a_listing_in_review_cannot_be_bought(client):
    parent = multi_spec_product(review_status="pending")
    child = parent.children.first()
    client.post(
        reverse("basket:add", kwargs={"pk": parent.pk}), {"child_id": child.pk, "quantity": 1}
    )
    assert not Basket.objects.filter(lines__product=child).exists()


def test_a_withdrawn_spec_is_not_offered(client, seller, created):
    _producer, user = seller
    product_review_approve(product=created, actor=StaffUserFactory())
    withdrawn = created.children.order_by("pk").first()
    product_variant_update(variant=withdrawn, actor=user, is_public=False)
    body = client.get(created.get_absolute_url()).content.decode()
    assert f'value="{withdrawn.pk}"' not in body
    client.post(
        reverse("basket:add", kwargs={"pk": created.pk}), {"child_id": withdrawn.pk, "quantity": 1}
    )
    assert not Basket.objects.filter(lines__product=withdrawn).exists()


def _queries(url):
    client = Client()
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_product_page_query_count_does_not_grow_with_specs_or_photos(
    django_assert_max_num_queries,
):
    small = multi_spec_product(specs=[("250g", Decimal("10.00"))], photos=1)
    few = _queries(small.get_absolute_url())
    large = multi_spec_product(
        specs=[(f"{i}00g", Decimal("10.00") + i) for i in range(1, MAX_PRODUCT_VARIANTS + 1)],
        photos=8,
    )
    url = large.get_absolute_url()
    client = Client()
    client.get(url)  # as in _queries: the same visitor, caches warm
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('name="child_id"') == MAX_PRODUCT_VARIANTS


# --- search -----------------------------------------------------------------------


def test_search_indexes_the_listing_once_with_its_lowest_price():
    parent = multi_spec_product(specs=[("500g", Decimal("72.00")), ("250g", Decimal("39.90"))])
    assert list(
        searchable_products().filter(
            pk__in=[parent.pk, *parent.children.values_list("pk", flat=True)]
        )
    ) == [parent]
    (document,) = build_documents([parent.pk])
    assert document.price == Decimal("39.90")
    assert document.in_stock


def test_a_variants_change_reindexes_its_listing(search_index):
    from search.indexing import products_reindex
    from search.models import ProductSearchEntry

    parent = multi_spec_product(specs=[("250g", Decimal("39.90"))])
    child = parent.children.get()
    StockRecord.objects.filter(product=child).update(price=Decimal("19.90"))
    products_reindex(product_ids=[child.pk])
    assert ProductSearchEntry.objects.get(pk=parent.pk).price == Decimal("19.90")
    assert not ProductSearchEntry.objects.filter(pk=child.pk).exists()


# --- catalogue import and export --------------------------------------------------


def test_the_export_leaves_multi_spec_listings_out_and_the_import_refuses_a_variant_code(
    seller, created
):
    producer, user = seller
    exported = CatalogueExporter(producer=producer).export("csv").content.decode("utf-8-sig")
    assert "MU-250" not in exported and "柞水黑木耳" not in exported

    header = "商品编码,商品名称,分类,商品描述,产地县代码,价格（元）,库存"
    line = f"MU-250,柞水黑木耳,干货,秦岭椴木栽培。,{producer.county.code},35.00,5"
    upload_file = upload("catalogue.csv", f"{header}\r\n{line}\r\n".encode("utf-8-sig"), "text/csv")
    with pytest.raises(CatalogueImportRejected) as rejected:
        CatalogueImporter(producer=producer, actor=user).import_file(upload_file)
    codes = {e.code for e in rejected.value.errors}
    assert "sku_is_variant" in codes, rejected.value.errors
    assert created.children.order_by("pk").first().stockrecords.get().price == Decimal("39.90")


def test_a_listing_can_be_edited_beside_other_listings_without_a_upc(seller):
    # No producer sets a UPC: every listing's is NULL, and Oscar reads it back
    # as "". Validating that as unique matched every other listing.
    from catalogue.services import product_listing_create, product_listing_update

    producer, user = seller
    first, second = (
        product_listing_create(
            producer=producer,
            actor=user,
            sku=sku,
            content=content(producer, title=title),
            price=Decimal("10.00"),
            num_in_stock=1,
        )
        for sku, title in (("A-1", "甲"), ("A-2", "乙"))
    )
    product_listing_update(product=second, actor=user, content=content(producer, title="乙二"))
    second.refresh_from_db()
    assert second.title == "乙二"
