"""One set of listing rules (catalogue/rules.py) for every way into a listing:
the workspace form, the catalogue import, the listing services and Oscar's
dashboard."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from oscar.core.loading import get_model

from catalogue import rules
from catalogue.exceptions import (
    CatalogueImportRejected,
    ListingFieldRequired,
    ListingFieldTooLong,
    ListingSkuInvalid,
    ListingStockOutOfBounds,
)
from catalogue.importers import COLUMNS, CatalogueImporter
from catalogue.models import ProductReviewDecision, ReviewStatus
from catalogue.services import ListingContent, product_listing_create, product_listing_update
from producers.workspace.forms import ListingForm
from tests.factories import CategoryFactory, producer_with_user, product_with_stock

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Action = ProductReviewDecision.Action

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in COLUMNS]


@pytest.fixture
def muer():
    return CategoryFactory(name="干货").add_child(name="木耳")


@pytest.fixture
def seller():
    return producer_with_user()


def import_row(producer, user, *, headers=HEADERS, **overrides):
    """Import one row; the errors of a rejected file by column, else {}."""
    values = {
        "sku": "MUER-1",
        "title": "柞水黑木耳 250g",
        "category": "干货 > 木耳",
        "description": "椴木栽培，自然晾晒。",
        "origin": producer.county.code,
        "net_content": "250g",
        "spec": "袋装",
        "shelf_life": "24个月",
        "storage": "阴凉干燥处",
        "price": "39.90",
        "stock": "100",
        "version": "",
        **overrides,
    }
    keys = [c.key for c in COLUMNS if c.header in headers]
    workbook = Workbook()
    workbook.active.append(headers)
    workbook.active.append([values[key] for key in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("商品.xlsx", buffer.getvalue())
    try:
        CatalogueImporter(producer=producer, actor=user).import_file(upload)
    except CatalogueImportRejected as rejected:
        return {e.column: e.message for e in rejected.errors}
    return {}


def listing_form(producer, **overrides):
    data = {
        "sku": "MUER-1",
        "title": "柞水黑木耳 250g",
        "category": CategoryFactory(name="干货").pk,
        "description": "椴木栽培，自然晾晒。",
        "origin_county": producer.county_id,
        "price": "39.90",
        "num_in_stock": "100",
        "attr_net_content": "250g",
    }
    data.update(overrides)
    form = ListingForm(data, producer=producer)
    form.is_valid()
    return form


def content(producer, **overrides):
    values = {
        "title": "柞水黑木耳 500g",
        "description": "秦岭椴木栽培。",
        "category": CategoryFactory(name="干货"),
        "origin_county": producer.county,
        "attributes": {"net_content": "500g"},
    }
    values.update(overrides)
    return ListingContent(**values)


# --- the import refuses what the form refuses ------------------------------------


def test_a_130000_character_description_is_refused_by_the_import(seller, muer):
    producer, user = seller

    errors = import_row(producer, user, description="木" * 130_000)

    assert "5000" in errors["商品描述"]
    assert not Product.objects.exists()
    assert "description" in listing_form(producer, description="木" * 130_000).errors


def test_a_100000_character_attribute_is_refused_by_the_import(seller, muer):
    producer, user = seller

    errors = import_row(producer, user, storage="阴" * 100_000)

    assert "100" in errors["储存条件"]
    assert not Product.objects.exists()
    assert "attr_storage" in listing_form(producer, attr_storage="阴" * 101).errors


BAD_SKUS = ["木耳-1", "MUER 1", "=1+1", "-12", "MUER/1", "ＭＵＥＲ１", "M" * 65]
GOOD_SKUS = ["MUER-1", "muer_250.v2", "10086", "M" * 64]


@pytest.mark.parametrize("sku", BAD_SKUS + GOOD_SKUS)
def test_form_and_import_agree_on_every_sku(seller, muer, sku):
    producer, user = seller

    form_refuses = "sku" in listing_form(producer, sku=sku).errors
    import_refuses = "商品编码" in import_row(producer, user, sku=sku)

    assert form_refuses == import_refuses == (sku in BAD_SKUS)


@pytest.mark.parametrize(("stock", "refused"), [(rules.STOCK_MAX, False), (10_000_001, True)])
def test_form_and_import_agree_on_the_stock_ceiling(seller, muer, stock, refused):
    producer, user = seller

    assert ("num_in_stock" in listing_form(producer, num_in_stock=stock).errors) is refused
    assert ("库存" in import_row(producer, user, stock=str(stock))) is refused


def test_a_description_is_required_by_the_form_and_the_import_alike(seller, muer):
    producer, user = seller
    without_description = [h for h in HEADERS if h != "商品描述"]

    assert "description" in listing_form(producer, description="").errors
    assert import_row(producer, user, description="  ")["商品描述"] == "商品描述不能为空。"
    # A new product in a file without the column has no description either.
    assert "商品描述" in import_row(producer, user, headers=without_description)
    assert not Product.objects.exists()


def test_an_existing_sku_from_before_the_alphabet_keeps_working(seller, muer):
    producer, user = seller
    product = product_with_stock(producer=producer, partner_sku="木耳 1", categories=[muer])

    assert import_row(producer, user, sku="木耳 1", price="45.00") == {}
    assert StockRecord.objects.get(product=product).price == Decimal("45.00")
    form = ListingForm(
        {**listing_form(producer).data, "title": "柞水黑木耳 新装"},
        producer=producer,
        product=product,
    )
    assert form.is_valid(), form.errors


# --- the services enforce the rules whoever calls them ----------------------------


def test_the_listing_service_refuses_what_the_rules_refuse_with_a_code(seller):
    producer, user = seller
    cases = [
        ({"sku": "木耳 1"}, ListingSkuInvalid, "listing_sku_invalid", "sku"),
        ({"num_in_stock": 10_000_001}, ListingStockOutOfBounds, "listing_stock_out_of_bounds",
         "num_in_stock"),
        ({"content": content(producer, description="木" * 5001)}, ListingFieldTooLong,
         "listing_field_too_long", "description"),
        ({"content": content(producer, description="")}, ListingFieldRequired,
         "listing_field_required", "description"),
        ({"content": content(producer, attributes={"spec": "袋" * 101})}, ListingFieldTooLong,
         "listing_field_too_long", "attr_spec"),
    ]  # fmt: skip
    for overrides, error, code, field in cases:
        arguments = {
            "producer": producer,
            "actor": user,
            "sku": "MUER-1",
            "content": content(producer),
            "price": Decimal("39.90"),
            "num_in_stock": 10,
            **overrides,
        }
        with pytest.raises(error) as excinfo:
            product_listing_create(**arguments)
        assert (excinfo.value.code, excinfo.value.field) == (code, field)
    assert not Product.objects.exists()


def test_an_update_through_the_service_is_held_to_the_same_limits(seller):
    producer, user = seller
    product = product_with_stock(producer=producer)

    with pytest.raises(ListingFieldTooLong):
        product_listing_update(
            product=product, actor=user, content=content(producer, description="木" * 5001)
        )
    with pytest.raises(ListingStockOutOfBounds):
        product_listing_update(product=product, actor=user, num_in_stock=-1)


def test_a_submission_names_the_reviewed_fields_that_changed(seller):
    producer, user = seller
    product = product_listing_create(
        producer=producer,
        actor=user,
        sku="MUER-1",
        content=content(producer),
        price=Decimal("39.90"),
        num_in_stock=10,
    )
    Product.objects.filter(pk=product.pk).update(review_status=ReviewStatus.APPROVED)

    product_listing_update(
        product=product,
        actor=user,
        content=content(producer, title="柞水黑木耳 新装", attributes={"net_content": "1kg"}),
        price=Decimal("49.90"),
    )

    decision = product.review_decisions.first()
    assert (decision.action, decision.fields) == (Action.SUBMIT, ["title", "attributes"])
