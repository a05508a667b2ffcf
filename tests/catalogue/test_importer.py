"""Bulk export and import of a producer's catalogue (XLSX and CSV) through
``CatalogueImporter`` and ``CatalogueExporter``."""

import csv
import io
import random
import time
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from oscar.core.loading import get_model

from catalogue import importers as catalogue_io
from catalogue.exceptions import CatalogueImportRejected, ListingError, ListingPermissionDenied
from catalogue.importers import (
    EXPORT_COLUMNS,
    CatalogueExporter,
    CatalogueImporter,
    ImportResult,
    RowError,
    category_names,
    category_names_export,
    category_suggestions,
    import_error_report,
)
from catalogue.models import ReviewStatus
from catalogue.services import product_listing_update
from tests.factories import (
    CategoryFactory,
    ProducerFactory,
    UserFactory,
    county,
    product_with_stock,
)
from tests.factories.files import MINIMAL_PDF
from tests.support.catalogue_import import HEADERS, ZHASHUI, csv_bytes, row, upload, xlsx_bytes

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

EXPORT_HEADERS = [c.header for c in EXPORT_COLUMNS]
ZIYANG = "610924"  # 紫阳县: a real county the producer is not licensed for
SHANGLUO_CITY = "611000"  # 商洛市: a city, not a county


# ---------------------------------------------------------------------------
# Helpers


@pytest.fixture
def muer():
    """The category "干货 > 木耳"."""
    return CategoryFactory(name="干货").add_child(name="木耳")


@pytest.fixture
def producer():
    return ProducerFactory()


@pytest.fixture
def user(producer):
    user = UserFactory()
    producer.partner.users.add(user)
    return user


def xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def csv_rows(content: bytes) -> list[list]:
    assert content.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def rejected_errors(producer, user, content, name="商品.xlsx") -> list[RowError]:
    with pytest.raises(CatalogueImportRejected) as excinfo:
        CatalogueImporter(producer=producer, actor=user).import_file(upload(content, name))
    return excinfo.value.errors


def coded(errors: list[RowError]) -> list[tuple[int, str, str]]:
    """Where each problem is and which rule it broke; the wording is the catalogue's."""
    return [(e.row, e.column, e.code) for e in errors]


def snapshot():
    """Every product and stock record as plain values, to prove nothing changed."""
    return (
        sorted(Product.objects.values_list("pk", "title", "description", "review_status")),
        sorted(StockRecord.objects.values_list("pk", "partner_sku", "price", "num_in_stock")),
    )


# ---------------------------------------------------------------------------
# Export


def test_export_lists_only_the_producers_own_products_under_chinese_headers(producer, muer):
    product_with_stock(producer=producer, partner_sku="MUER-250", categories=[muer],
                       title="柞水黑木耳 250g", price=Decimal("39.90"), stock=7)  # fmt: skip
    product_with_stock(partner_sku="OTHER-1", title="别家的木耳")

    rows = xlsx_rows(CatalogueExporter(producer=producer).export("xlsx").content)

    assert rows[0] == EXPORT_HEADERS
    assert rows[0][:3] == ["商品编码", "商品名称", "分类"]
    assert len(rows) == 2
    sku, title, category, description, origin, *_attrs, price, stock = rows[1][:11]
    assert (sku, title, category, origin) == ("MUER-250", "柞水黑木耳 250g", "干货 > 木耳", ZHASHUI)
    assert description == "产自秦岭南麓，椴木栽培，自然晾晒。请置于阴凉干燥处保存。"
    assert (Decimal(str(price)), stock) == (Decimal("39.90"), 7)


def test_csv_export_is_utf8_with_bom_for_excel(producer, muer):
    product_with_stock(producer=producer, partner_sku="MUER-250", categories=[muer])

    exported = CatalogueExporter(producer=producer).export("csv")

    assert exported.content_type.startswith("text/csv")
    assert exported.filename.endswith(".csv")
    rows = csv_rows(exported.content)
    assert rows[0] == EXPORT_HEADERS
    assert rows[1][0] == "MUER-250"
    assert rows[1][9] == "39.90"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_query_count_does_not_grow_with_the_catalogue(producer, muer, fmt):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            CatalogueExporter(producer=producer).export(fmt)
        return len(ctx.captured_queries)

    for i in range(2):
        product_with_stock(producer=producer, partner_sku=f"S-{i}", categories=[muer])
    small = queries()
    for i in range(2, 22):
        product_with_stock(producer=producer, partner_sku=f"S-{i}", categories=[muer])
    assert queries() == small


def test_export_neutralises_spreadsheet_formulas(producer, muer):
    product_with_stock(producer=producer, partner_sku="=1+1", categories=[muer],
                       title='=HYPERLINK("http://evil.example","点我")')  # fmt: skip

    csv_row = csv_rows(CatalogueExporter(producer=producer).export("csv").content)[1]
    assert csv_row[0] == "'=1+1"
    assert csv_row[1] == '\'=HYPERLINK("http://evil.example","点我")'

    content = CatalogueExporter(producer=producer).export("xlsx").content
    cell = load_workbook(io.BytesIO(content)).active["B2"]
    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_exported_formula_guard_is_not_imported_as_content(producer, user, muer):
    product = product_with_stock(producer=producer, partner_sku="MUER-1", categories=[muer],
                                 title="-20℃ 冷冻木耳")  # fmt: skip
    exported = CatalogueExporter(producer=producer).export("csv").content
    assert b"'-20" in exported

    result = CatalogueImporter(producer=producer, actor=user).import_file(upload(exported, "a.csv"))

    assert result == ImportResult(created=0, updated=0, unchanged=1)
    product.refresh_from_db()
    assert product.title == "-20℃ 冷冻木耳"


# ---------------------------------------------------------------------------
# Round trips and review status


def _edit_xlsx(content: bytes, edit) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    edit(workbook.active)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_export_edit_import_round_trip(producer, user, muer):
    kept = product_with_stock(producer=producer, partner_sku="MUER-1", categories=[muer])
    repriced = product_with_stock(producer=producer, partner_sku="MUER-2", categories=[muer])

    def edit(sheet):
        sheet["J3"] = 45.5  # MUER-2's price, typed as a number in Excel
        sheet["K3"] = 12
        sheet.append(row("MUER-NEW", title="新品 柞水木耳 500g", price=88, stock=30))

    content = _edit_xlsx(CatalogueExporter(producer=producer).export("xlsx").content, edit)
    result = CatalogueImporter(producer=producer, actor=user).import_file(upload(content))

    assert result == ImportResult(created=1, updated=1, unchanged=1)
    record = StockRecord.objects.get(product=repriced)
    assert (record.price, record.num_in_stock) == (Decimal("45.50"), 12)
    assert StockRecord.objects.get(product=kept).price == Decimal("39.90")
    new = StockRecord.objects.get(partner=producer.partner, partner_sku="MUER-NEW").product
    assert new.title == "新品 柞水木耳 500g"
    assert new.producer == producer
    assert new.origin_county.code == ZHASHUI
    assert list(new.categories.all()) == [muer]
    assert new.attr.net_content == "250g"
    assert new.attr.storage == "阴凉干燥处"
    assert "椴木栽培" in new.description
    assert StockRecord.objects.get(product=new).price == Decimal("88.00")


def test_csv_export_edit_import_round_trip(producer, user, muer):
    product = product_with_stock(producer=producer, partner_sku="MUER-1", categories=[muer])
    rows = csv_rows(CatalogueExporter(producer=producer).export("csv").content)
    rows[1][1] = "柞水黑木耳 改名"
    rows[1][7] = "18个月"
    rows.append(row("MUER-NEW"))

    content = csv_bytes(rows[1:], headers=rows[0])
    result = CatalogueImporter(producer=producer, actor=user).import_file(upload(content, "x.csv"))

    assert result == ImportResult(created=1, updated=1, unchanged=0)
    # A fresh instance: Oscar caches the attribute container on the old one.
    product = Product.objects.get(pk=product.pk)
    assert product.title == "柞水黑木耳 改名"
    assert product.attr.shelf_life == "18个月"
    assert Product.objects.filter(producer=producer).count() == 2


def test_unchanged_export_imports_as_a_no_op(producer, user, muer):
    for i in range(3):
        product_with_stock(producer=producer, partner_sku=f"MUER-{i}", categories=[muer])
    before = snapshot()

    for fmt in ("xlsx", "csv"):
        content = CatalogueExporter(producer=producer).export(fmt).content
        result = CatalogueImporter(producer=producer, actor=user).import_file(upload(content))
        assert result == ImportResult(created=0, updated=0, unchanged=3)

    assert snapshot() == before
    assert set(Product.objects.values_list("review_status", flat=True)) == {ReviewStatus.APPROVED}


def test_imported_products_wait_for_review(producer, user, muer):
    CatalogueImporter(producer=producer, actor=user).import_file(
        upload(xlsx_bytes([row("A"), row("B")]))
    )

    assert (
        list(Product.objects.values_list("review_status", flat=True)) == [ReviewStatus.PENDING] * 2
    )


def test_changed_content_goes_back_to_review_but_price_and_stock_do_not(producer, user, muer):
    content_changed = product_with_stock(producer=producer, partner_sku="A", categories=[muer])
    price_changed = product_with_stock(producer=producer, partner_sku="B", categories=[muer])
    rows = xlsx_rows(CatalogueExporter(producer=producer).export("xlsx").content)
    rows[1][6] = "散装"  # 规格 of A
    rows[2][9], rows[2][10] = "19.90", 5  # price and stock of B

    result = CatalogueImporter(producer=producer, actor=user).import_file(
        upload(xlsx_bytes(rows[1:], headers=rows[0]))
    )

    assert result == ImportResult(created=0, updated=2, unchanged=0)
    content_changed.refresh_from_db()
    price_changed.refresh_from_db()
    assert content_changed.review_status == ReviewStatus.PENDING
    assert price_changed.review_status == ReviewStatus.APPROVED
    assert StockRecord.objects.get(product=price_changed).price == Decimal("19.90")


def test_gb18030_csv_from_excel_in_china_imports(producer, user, muer):
    content = csv_bytes([row("GBK-1", title="柞水黑木耳 礼盒 鍋")], encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")

    result = CatalogueImporter(producer=producer, actor=user).import_file(
        upload(content, "商品.csv")
    )

    assert result.created == 1
    assert Product.objects.get().title == "柞水黑木耳 礼盒 鍋"


def test_english_headers_are_accepted(producer, user, muer):
    headers = ["SKU", "Title", "Category", "Description", "Origin County Code",
               "net_content", "spec", "shelf_life", "storage", "Price", "Stock"]  # fmt: skip

    result = CatalogueImporter(producer=producer, actor=user).import_file(
        upload(xlsx_bytes([row("EN-1")], headers=headers))
    )

    assert result.created == 1


def test_optional_columns_left_out_keep_what_the_product_has(producer, user, muer):
    product = product_with_stock(producer=producer, partner_sku="A", categories=[muer])
    headers = ["商品编码", "商品名称", "分类", "产地县代码", "价格（元）", "库存"]
    content = xlsx_bytes([["A", product.title, "干货 > 木耳", ZHASHUI, "50", 3]], headers)

    result = CatalogueImporter(producer=producer, actor=user).import_file(upload(content))

    assert result == ImportResult(created=0, updated=1, unchanged=0)
    product.refresh_from_db()
    assert "秦岭南麓" in product.description
    assert product.review_status == ReviewStatus.APPROVED


def test_numbers_typed_where_codes_were_meant_are_read_as_codes(producer, user, muer):
    content = xlsx_bytes([row(10086, origin=int(ZHASHUI), price=39.9, stock=100.0)])

    CatalogueImporter(producer=producer, actor=user).import_file(upload(content))

    record = StockRecord.objects.get(partner_sku="10086")
    assert (record.price, record.num_in_stock) == (Decimal("39.90"), 100)


def test_blank_rows_are_skipped_and_row_numbers_stay_those_the_user_sees(producer, user, muer):
    content = xlsx_bytes([row("A"), [None] * 11, row("B", price="abc")])

    errors = rejected_errors(producer, user, content)

    assert coded(errors) == [(4, "价格（元）", "price_not_number")]


# ---------------------------------------------------------------------------
# Rejected files


def test_every_bad_row_is_reported_in_chinese_with_its_row_number(producer, user, muer):
    county(ZIYANG)  # the producer's county brings its city, 611000, with it
    rows = [
        row("OK-1"),
        row("BAD-TITLE", title=""),
        row("BAD-CATEGORY", category="木耳"),
        row("BAD-CITY", origin=SHANGLUO_CITY),
        row("BAD-COUNTY", origin=ZIYANG),
        row("BAD-CODE", origin="61102"),
        row("BAD-PRICE", price="0"),
        row("BAD-CENTS", price="1.234"),
        row("BAD-STOCK", stock="-1"),
        row("OK-1"),
        row("LONG", title="木" * 256),
        row("NO-SUCH-CODE", origin="999999"),
    ]

    errors = rejected_errors(producer, user, xlsx_bytes(rows))

    assert sorted(coded(errors)) == [
        (3, "商品名称", "listing_field_required"),
        (4, "分类", "category_not_full_name"),
        (5, "产地县代码", "region_not_county"),
        (6, "产地县代码", "origin_not_licensed"),
        (7, "产地县代码", "origin_code_invalid"),
        (8, "价格（元）", "listing_price_out_of_bounds"),
        (9, "价格（元）", "listing_price_out_of_bounds"),
        (10, "库存", "stock_not_integer"),
        (11, "商品编码", "sku_repeated"),
        (12, "商品名称", "listing_field_too_long"),
        (13, "产地县代码", "region_not_found"),
    ]
    # The sentences name what to fix: the full category, the county, the first row, the limit.
    by_cell = {(e.row, e.column): e.message for e in errors}
    assert "干货 > 木耳" in by_cell[(4, "分类")]
    assert "紫阳县" in by_cell[(6, "产地县代码")]
    assert "2" in by_cell[(11, "商品编码")]
    assert "255" in by_cell[(12, "商品名称")]
    assert "999999" in by_cell[(13, "产地县代码")]
    assert Product.objects.count() == 0

    report = xlsx_rows(import_error_report(errors))
    assert report[0] == ["行号", "列", "问题", "错误代码"]
    assert report[1:4] == [
        [3, "商品名称", by_cell[(3, "商品名称")], "listing_field_required"],
        [4, "分类", by_cell[(4, "分类")], "category_not_full_name"],
        [5, "产地县代码", by_cell[(5, "产地县代码")], "region_not_county"],
    ]
    assert len(report) == 1 + len(errors)


def test_error_report_names_file_level_problems(producer, user):
    errors = rejected_errors(producer, user, b"\x00\x01garbage", "x.csv")

    report = xlsx_rows(import_error_report(errors))

    assert report[1][0] == "整个文件"
    assert report[1][2] == errors[0].message
    assert report[1][3] == "file_format_unknown"


def test_one_bad_row_among_good_rows_changes_nothing(producer, user, muer):
    for i in range(3):
        product_with_stock(producer=producer, partner_sku=f"MUER-{i}", categories=[muer])
    before = snapshot()
    rows = xlsx_rows(CatalogueExporter(producer=producer).export("xlsx").content)
    for data in rows[1:]:
        data[1] = data[1] + " 新版"
        data[9] = "59.00"
    rows.append(row("NEW-1"))
    rows.append(row("NEW-2", stock="很多"))

    errors = rejected_errors(producer, user, xlsx_bytes(rows[1:], headers=rows[0]))

    assert coded(errors) == [(6, "库存", "stock_not_integer")]
    assert snapshot() == before


def test_stock_below_what_orders_hold_is_refused(producer, user, muer):
    product = product_with_stock(producer=producer, partner_sku="A", categories=[muer])
    StockRecord.objects.filter(product=product).update(num_allocated=5)

    errors = rejected_errors(producer, user, xlsx_bytes([row("A", stock="4")]))

    assert coded(errors) == [(2, "库存", "stock_below_allocated")]
    assert "5" in errors[0].message


def test_another_producers_sku_is_never_touched(producer, user, muer):
    theirs = product_with_stock(partner_sku="SHARED-1", categories=[muer], title="别家的木耳",
                                price=Decimal("10.00"), stock=9)  # fmt: skip
    before = snapshot()

    result = CatalogueImporter(producer=producer, actor=user).import_file(upload(xlsx_bytes([row("SHARED-1", title="我的木耳", price="99")])),
    )  # fmt: skip

    assert result == ImportResult(created=1, updated=0, unchanged=0)
    theirs.refresh_from_db()
    assert theirs.title == "别家的木耳"
    assert [p for p in snapshot()[0] if p[0] == theirs.pk] == [
        p for p in before[0] if p[0] == theirs.pk
    ]
    record = StockRecord.objects.get(product=theirs)
    assert (record.price, record.num_in_stock) == (Decimal("10.00"), 9)
    mine = StockRecord.objects.get(partner=producer.partner, partner_sku="SHARED-1").product
    assert (mine.title, mine.producer) == ("我的木耳", producer)


def test_only_the_producers_own_users_may_import(producer, muer):
    stranger = UserFactory()

    with pytest.raises(ListingPermissionDenied):
        CatalogueImporter(producer=producer, actor=stranger).import_file(
            upload(xlsx_bytes([row("A")]))
        )
    assert Product.objects.count() == 0


def _truncated_xlsx() -> bytes:
    content = xlsx_bytes([row("A")])
    return content[: len(content) // 2]


def _word_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _oversized() -> bytes:
    return csv_bytes([row("A", description="x" * (5 * 1024 * 1024))])


def _zip_bomb() -> bytes:
    """A workbook-looking zip of about 100 KB that would inflate past 100 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", catalogue_io._XLSX_MAIN_PART)
        archive.writestr("xl/worksheets/sheet1.xml", bytes(101 * 1024 * 1024))
    return buffer.getvalue()


# Built when the test runs, not at collection: some are megabytes.
UNUSABLE_FILES = {
    "random-bytes": (
        lambda: random.Random(2026).randbytes(4096),
        "商品.xlsx",
        "file_format_unknown",
    ),
    "renamed-pdf": (lambda: MINIMAL_PDF, "商品.csv", "file_wrong_kind"),
    "truncated-xlsx": (_truncated_xlsx, "商品.xlsx", "file_unreadable"),
    "docx": (_word_document, "商品.xlsx", "file_not_workbook"),
    "xls": (
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
        "商品.xls",
        "file_xls_unsupported",
    ),
    "zip-bomb": (_zip_bomb, "商品.xlsx", "file_content_too_large"),
    "oversized": (_oversized, "商品.csv", "file_too_large"),
    "empty": (lambda: b"", "商品.csv", "file_empty"),
    "header-only": (lambda: csv_bytes([]), "商品.csv", "no_rows"),
}


@pytest.mark.parametrize("kind", UNUSABLE_FILES)
def test_unusable_files_are_refused_with_a_clear_message(producer, user, kind):
    build, name, expected = UNUSABLE_FILES[kind]

    errors = rejected_errors(producer, user, build(), name)

    assert coded(errors) == [(0, "", expected)]
    assert errors[0].message
    assert Product.objects.count() == 0


def test_more_than_5000_rows_is_refused(producer, user, muer):
    content = csv_bytes([row(f"S-{i}") for i in range(5001)])

    errors = rejected_errors(producer, user, content, "big.csv")

    assert coded(errors) == [(0, "", "too_many_rows")]
    assert "5000" in errors[0].message


def test_missing_required_headers_are_named(producer, user, muer):
    headers = ["商品编码", "商品名称", "分类", "商品描述"]

    errors = rejected_errors(producer, user, xlsx_bytes([["A", "木耳", "干货", ""]], headers))

    assert {e.column for e in errors} == {"产地县代码", "价格（元）", "库存"}
    assert {(e.row, e.code) for e in errors} == {(1, "column_missing")}


def test_rejecting_a_file_costs_the_same_queries_whatever_its_size(producer, user, muer):
    def queries(size):
        content = xlsx_bytes([row(f"S-{i}") for i in range(size)] + [row("X", price="-1")])
        with CaptureQueriesContext(connection) as ctx:
            rejected_errors(producer, user, content)
        return len(ctx.captured_queries)

    assert queries(5) == queries(200)


# ---------------------------------------------------------------------------
# 1,000 rows in one transaction


def _thousand_rows() -> bytes:
    return xlsx_bytes([row(f"BULK-{i:04d}", price=f"{10 + i % 90}.50") for i in range(1, 1001)])


# Transactional tests end with a flush; serialized_rollback and the fixture
# give later tests back the rows migrations created (the CN shipping country).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_thousand_rows_import_in_one_transaction(producer, user, muer):
    content = _thousand_rows()

    started = time.perf_counter()
    result = CatalogueImporter(producer=producer, actor=user).import_file(upload(content))
    elapsed = time.perf_counter() - started

    print(f"\nimport 1000 rows (xlsx, new products, incl. commit and search indexing): "
          f"{elapsed:.2f}s")  # fmt: skip
    assert result == ImportResult(created=1000, updated=0, unchanged=0)
    assert StockRecord.objects.filter(partner=producer.partner).count() == 1000
    assert (
        Product.objects.filter(producer=producer, review_status=ReviewStatus.PENDING).count()
        == 1000
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failure_at_row_1000_leaves_nothing(producer, user, muer, monkeypatch):
    create = catalogue_io.product_listing_create

    def failing_at_the_last_row(**kwargs):
        if kwargs["sku"] == "BULK-1000":
            raise ListingError("模拟的写入失败")
        return create(**kwargs)

    monkeypatch.setattr(catalogue_io, "product_listing_create", failing_at_the_last_row)

    errors = rejected_errors(producer, user, _thousand_rows())

    assert errors == [RowError(1001, "商品编码", "模拟的写入失败", "listing_error")]
    assert Product.objects.count() == 0
    assert StockRecord.objects.count() == 0


# ---------------------------------------------------------------------------
# Stock figures (issue 11): 在库, 已分配, 可售


def test_export_writes_on_hand_allocated_and_available_and_import_keeps_on_hand(
    producer, user, muer
):
    product = product_with_stock(producer=producer, partner_sku="A", categories=[muer], stock=300)
    StockRecord.objects.filter(product=product).update(num_allocated=2)

    for fmt in ("xlsx", "csv"):
        content = CatalogueExporter(producer=producer).export(fmt).content
        rows = xlsx_rows(content) if fmt == "xlsx" else csv_rows(content)
        figures = dict(zip(rows[0], rows[1], strict=True))
        assert [str(figures[h]) for h in ("库存", "已分配", "可售")] == ["300", "2", "298"]

        result = CatalogueImporter(producer=producer, actor=user).import_file(upload(content))

        assert result == ImportResult(created=0, updated=0, unchanged=1)
        record = StockRecord.objects.get(product=product)
        assert (record.num_in_stock, record.num_allocated) == (300, 2)


def test_allocated_and_available_columns_are_ignored_on_import(producer, user, muer):
    product = product_with_stock(producer=producer, partner_sku="A", categories=[muer], stock=300)
    headers = [*HEADERS, "已分配", "可售"]
    rows = [[*row("A", stock="300"), "", "7", "5"]]  # 版本 empty, figures edited by hand

    result = CatalogueImporter(producer=producer, actor=user).import_file(
        upload(xlsx_bytes(rows, headers=headers))
    )

    assert result.updated + result.unchanged == 1
    record = StockRecord.objects.get(product=product)
    assert (record.num_in_stock, record.num_allocated or 0) == (300, 0)


# ---------------------------------------------------------------------------
# Version stamp (issue 11): an older export does not revert newer changes


def _exported_with_price(producer, price):
    rows = xlsx_rows(CatalogueExporter(producer=producer).export("xlsx").content)
    rows[1][9] = price
    return xlsx_bytes(rows[1:], headers=rows[0])


def test_export_carries_each_listings_last_change(producer, muer):
    product = product_with_stock(producer=producer, partner_sku="A", categories=[muer])
    rows = xlsx_rows(CatalogueExporter(producer=producer).export("xlsx").content)

    stamp = dict(zip(rows[0], rows[1], strict=True))["版本"]
    record = StockRecord.objects.get(product=product)
    assert stamp == catalogue_io._version_text(catalogue_io.listing_version(product, record))


def test_a_row_exported_before_a_later_change_is_refused_and_nothing_changes(producer, user, muer):
    product = product_with_stock(producer=producer, partner_sku="A", categories=[muer],
                                 price=Decimal("39.90"))  # fmt: skip
    other = product_with_stock(producer=producer, partner_sku="B", categories=[muer])
    old_file = _exported_with_price(producer, "35.00")
    # After the export, the price is changed on the web page.
    product_listing_update(product=product, actor=user, price=Decimal("42.00"))
    before = snapshot()

    errors = rejected_errors(producer, user, old_file)

    assert coded(errors) == [(2, "版本", "row_stale")]
    assert "该商品在导出之后已被修改" in errors[0].message
    assert "确认覆盖" in errors[0].message
    assert snapshot() == before
    assert StockRecord.objects.get(product=product).price == Decimal("42.00")
    assert other.pk  # its row is fresh, and waits with the rest of the file


def test_a_change_made_between_reading_the_file_and_locking_the_rows_is_not_overwritten(
    monkeypatch, producer, user, muer
):
    """The 版本 is held against the listing once its rows are locked, not while
    the file is read: a price set on the web page in between is seen."""
    product = product_with_stock(producer=producer, partner_sku="A", categories=[muer],
                                 price=Decimal("39.90"))  # fmt: skip
    old_file = _exported_with_price(producer, "35.00")
    read_rows = CatalogueImporter._check

    def read_then_someone_edits(importer, *args):
        changes = read_rows(importer, *args)
        product_listing_update(product=product, actor=user, price=Decimal("42.00"))
        return changes

    monkeypatch.setattr(CatalogueImporter, "_check", read_then_someone_edits)

    errors = rejected_errors(producer, user, old_file)

    assert coded(errors) == [(2, "版本", "row_stale")]
    assert StockRecord.objects.get(product=product).price == Decimal("42.00")


def test_confirming_overwrite_applies_a_stale_row(producer, user, muer):
    product = product_with_stock(producer=producer, partner_sku="A", categories=[muer])
    old_file = _exported_with_price(producer, "35.00")
    product_listing_update(product=product, actor=user, price=Decimal("42.00"))

    result = CatalogueImporter(producer=producer, actor=user, overwrite_newer=True).import_file(
        upload(old_file)
    )

    assert result == ImportResult(created=0, updated=1, unchanged=0)
    assert StockRecord.objects.get(product=product).price == Decimal("35.00")


def test_a_fresh_row_with_its_version_is_accepted(producer, user, muer):
    product = product_with_stock(producer=producer, partner_sku="A", categories=[muer])

    result = CatalogueImporter(producer=producer, actor=user).import_file(
        upload(_exported_with_price(producer, "35.00"))
    )

    assert result == ImportResult(created=0, updated=1, unchanged=0)
    assert StockRecord.objects.get(product=product).price == Decimal("35.00")


def test_a_stale_row_that_changes_nothing_is_not_refused(producer, user, muer):
    product = product_with_stock(producer=producer, partner_sku="A", categories=[muer])
    old_file = CatalogueExporter(producer=producer).export("xlsx").content
    product_listing_update(product=product, actor=user, price=Decimal("42.00"))
    rows = xlsx_rows(old_file)
    rows[1][9] = "42.00"  # the file already says what the page set

    result = CatalogueImporter(producer=producer, actor=user).import_file(
        upload(xlsx_bytes(rows[1:], headers=rows[0]))
    )

    assert result == ImportResult(created=0, updated=0, unchanged=1)


def test_an_unreadable_version_is_reported(producer, user, muer):
    product_with_stock(producer=producer, partner_sku="A", categories=[muer])
    rows = xlsx_rows(_exported_with_price(producer, "35.00"))
    rows[1][-1] = "昨天"

    errors = rejected_errors(producer, user, xlsx_bytes(rows[1:], headers=rows[0]))

    assert coded(errors) == [(2, "版本", "version_invalid")]


# ---------------------------------------------------------------------------
# Categories (issue 11): the list, its download and "did you mean"


def test_category_names_are_the_full_names_the_import_accepts(muer):
    CategoryFactory(name="菌菇干货")

    assert category_names() == ["干货", "干货 > 木耳", "菌菇干货"]
    content = category_names_export("xlsx").content
    assert xlsx_rows(content) == [["分类"], ["干货"], ["干货 > 木耳"], ["菌菇干货"]]
    assert csv_rows(category_names_export("csv").content)[1:] == [["干货"], ["干货 > 木耳"],
                                                                   ["菌菇干货"]]  # fmt: skip


def test_a_partial_category_name_suggests_the_one_that_contains_it(producer, user, muer):
    CategoryFactory(name="菌菇干货")

    errors = rejected_errors(producer, user, xlsx_bytes([row("A", category="菌菇")]))

    assert coded(errors) == [(2, "分类", "category_suggested")]
    assert "菌菇干货" in errors[0].message
    assert category_suggestions("菌菇", category_names())[0] == "菌菇干货"
    assert category_suggestions("干货>木尔", category_names())[0] == "干货 > 木耳"


def test_an_unknown_category_names_an_example_that_exists(producer, user, muer):
    errors = rejected_errors(producer, user, xlsx_bytes([row("A", category="电子产品")]))

    assert coded(errors) == [(2, "分类", "category_not_found")]
    assert "“干货 > 木耳”" in errors[0].message
    assert "类目表" in errors[0].message
