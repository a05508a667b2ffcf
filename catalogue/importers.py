"""Bulk export and import of a producer's own catalogue as XLSX or CSV:
``CatalogueExporter(producer=...).export(fmt)`` and
``CatalogueImporter(producer=..., actor=...).import_file(upload)``, run by the
import job (``catalogue.import_jobs``) that the workspace's upload page and the
``catalogue_import`` management command create; ``import_file_check`` is the
upload request's quick look at a file's shape.

One product per row, keyed by the producer's 商品编码 (``StockRecord.partner_sku``).
An import is all or nothing: every row is checked first, and only a file
without a single problem is applied, in one transaction, through the listing
services, so review, origin and stock rules are the same as for the forms, and
every field limit is ``catalogue.rules``'s.

Files come from spreadsheets people edit by hand, so the format is told by the
bytes (not the name), Excel's habits are expected (GBK CSV, numbers where text
was meant, blank rows at the end) and cells that a spreadsheet would run as a
formula are neutralised on export.
"""

import csv
import datetime
import difflib
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from oscar.core.loading import get_model

from catalogue import rules
from catalogue.exceptions import (
    CatalogueImportRejected,
    DuplicateSku,
    ListingError,
    ListingPermissionDenied,
    ListingRuleBroken,
    OriginNotLicensed,
    StockBelowAllocated,
)
from catalogue.lock_objects import products_lock
from catalogue.rules import LISTING_ATTRIBUTES
from catalogue.services import (
    ListingContent,
    description_to_html,
    description_to_text,
    listing_product_class,
    product_listing_create,
    product_listing_update,
)
from partner.lock_objects import stockrecords_lock
from partner.selectors import partner_is_managed_by, stock_figures
from regions.models import Region

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# A 5 MB zip may inflate to gigabytes; no honest 5,000-row sheet comes close.
MAX_XLSX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
_XLSX_MAIN_PART = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_ZIP_MAGIC = b"PK\x03\x04"
# Files people pick by mistake; named so that the error says what they are.
_OTHER_FORMATS = (
    (b"%PDF-", "PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "XLS"),  # Excel 97-2003 (OLE2)
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV
# injection); a leading apostrophe makes it text.
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...]
    required: bool


def _attribute_columns() -> list[Column]:
    # The attribute labels are the services' own; their Chinese msgid is the header.
    with translation.override("zh-hans"):
        return [
            Column(key=code, header=str(label), aliases=(code,), required=False)
            for code, label in LISTING_ATTRIBUTES
        ]


COLUMNS: list[Column] = [
    Column("sku", "商品编码", ("sku", "partner_sku", "product_code"), True),
    Column("title", "商品名称", ("title", "name", "product_name"), True),
    Column("category", "分类", ("category", "商品分类"), True),
    Column("description", "商品描述", ("description",), False),
    Column(
        "origin",
        "产地县代码",
        ("origin_county_code", "county_code", "origin_county", "origin"),
        True,
    ),
    *_attribute_columns(),
    Column("price", "价格（元）", ("price", "价格", "price(cny)", "price(yuan)"), True),
    Column("stock", "库存", ("stock", "num_in_stock", "库存数量", "quantity", "在库"), True),
    # The listing's last change when it was exported (``listing_version``): a
    # row exported before a later change is refused unless the user confirms.
    Column("version", "版本", ("version", "版本号"), False),
]
# Written by the export for the producer's information and ignored on import
# (their headers are not import headers): ``partner.selectors.stock_figures``.
STOCK_FIGURE_COLUMNS: list[Column] = [
    Column("allocated", "已分配", (), False),
    Column("available", "可售", (), False),
]
# The export's columns: the import's, with the stock figures after the stock.
EXPORT_COLUMNS: list[Column] = [
    *(c for c in COLUMNS if c.key != "version"),
    *STOCK_FIGURE_COLUMNS,
    *(c for c in COLUMNS if c.key == "version"),
]
_COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
ATTRIBUTE_CODES = [code for code, _label in LISTING_ATTRIBUTES]


def _normalise_header(text: str) -> str:
    text = text.strip().lower().replace("（", "(").replace("）", ")")
    return re.sub(r"[\s_\-]+", "", text)


_KEY_BY_HEADER = {
    _normalise_header(name): column.key
    for column in COLUMNS
    for name in (column.header, *column.aliases)
}


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded file. ``row`` is the spreadsheet row number
    the user sees (the header is row 1); 0 means the file as a whole. ``code``
    names the rule, as a domain error's code does; a listing service's refusal
    keeps the service's code."""

    row: int
    column: str
    message: str
    code: str


# Every problem the import itself finds, by code. Where the rule is a listing
# service's too, the code and the sentence are the service's.
ROW_ERROR_MESSAGES = {
    "file_too_large": gettext_lazy("文件不能超过 %(limit)d MB。"),
    "file_empty": gettext_lazy("文件是空的。"),
    "file_unreadable": gettext_lazy("Excel 文件已损坏，无法打开，请重新保存后上传。"),
    "file_content_too_large": gettext_lazy("Excel 文件内容过大，请拆分后分批导入。"),
    "file_not_workbook": gettext_lazy("这不是 Excel 工作簿（.xlsx），请上传 .xlsx 或 .csv 文件。"),
    "file_format_unknown": gettext_lazy(
        "无法识别文件格式，请上传 Excel 工作簿（.xlsx）或 CSV 文件。"
    ),
    "file_csv_malformed": gettext_lazy(
        "CSV 文件格式有误，无法读取，请用 Excel 另存为 CSV 后重新上传。"
    ),
    "file_xls_unsupported": gettext_lazy(
        "不支持旧版 Excel 文件（.xls），请在 Excel 中另存为 .xlsx 后上传。"
    ),
    "file_wrong_kind": gettext_lazy(
        "这是 %(kind)s 文件，请上传 Excel 工作簿（.xlsx）或 CSV 文件。"
    ),
    "header_missing": gettext_lazy("文件是空的，或第一行不是表头。"),
    "too_many_rows": gettext_lazy("一次最多导入 %(limit)d 行商品，请拆分后分批导入。"),
    "no_rows": gettext_lazy("文件中没有商品数据。"),
    "header_duplicate": gettext_lazy("表头“%(header)s”重复出现。"),
    "column_missing": gettext_lazy("缺少必填列“%(header)s”。"),
    "sku_repeated": gettext_lazy("商品编码“%(sku)s”与第 %(row)d 行重复。"),
    "sku_is_variant": gettext_lazy(
        "商品编码“%(sku)s”是多规格商品的一个规格；规格的价格和库存请在工作台的“规格”页修改，"
        "批量导入暂不支持多规格商品。"
    ),
    "category_required": gettext_lazy("分类不能为空。"),
    "category_not_full_name": gettext_lazy("分类“%(name)s”不存在，是否应填“%(full)s”？"),
    "category_not_found": gettext_lazy(
        "分类“%(name)s”不存在，请填写商城已有分类的完整名称，如“%(example)s”；"
        "全部分类见导入页面的类目表。"
    ),
    "category_suggested": gettext_lazy(
        "分类“%(name)s”不存在，您是不是要填“%(suggestions)s”？全部分类见导入页面的类目表。"
    ),
    "category_none_defined": gettext_lazy("商城还没有商品分类，暂时无法导入，请联系平台。"),
    "version_invalid": gettext_lazy(
        "版本“%(value)s”无法识别；请保留导出时的原值，或清空该格（清空则不检查是否已被修改）。"
    ),
    "row_stale": gettext_lazy(
        "该商品在导出之后已被修改（修改时间 %(changed)s），为避免覆盖较新的价格和库存，"
        "本行未导入；请重新导出后再改，或勾选“确认覆盖”。"
    ),
    "origin_code_invalid": gettext_lazy("产地县代码应为 6 位数字，如 611026（柞水县）。"),
    "region_not_found": gettext_lazy("行政区划代码“%(code)s”不存在。"),
    "region_not_county": gettext_lazy("“%(code)s”（%(name)s）不是县级行政区划，请填写县级代码。"),
    OriginNotLicensed.code: OriginNotLicensed.message,
    "price_required": gettext_lazy("价格不能为空。"),
    "price_not_number": gettext_lazy("价格“%(value)s”不是数字。"),
    "stock_required": gettext_lazy("库存不能为空。"),
    "stock_not_integer": gettext_lazy("库存应为不小于 0 的整数。"),
    StockBelowAllocated.code: StockBelowAllocated.message,
    # A model's own validation refused the row; the model's sentence is shown.
    "listing_invalid": gettext_lazy("商品信息不符合要求。"),
    # Staff tables (catalogue.tables): reference prices and pairings.
    "too_many_table_rows": gettext_lazy("一次最多导入 %(limit)d 行，请拆分后分批导入。"),
    "no_table_rows": gettext_lazy("文件中除表头外没有数据。"),
    "table_value_required": gettext_lazy("“%(header)s”不能为空。"),
    "table_date_invalid": gettext_lazy("日期“%(value)s”无法识别，请填写如 2026-03-01 的日期。"),
    "table_price_invalid": gettext_lazy("价格“%(value)s”不是大于 0 的数字。"),
    "table_choice_unknown": gettext_lazy("“%(value)s”不是可选的%(header)s：%(choices)s。"),
}


def _row_error(row: int, column: str, code: str, /, **params) -> RowError:
    text = str(ROW_ERROR_MESSAGES[code])
    return RowError(row, column, text % params if params else text, code)


@dataclass(frozen=True)
class RowOutcome:
    """What importing one row did: ``created``, ``updated`` or ``unchanged``."""

    row: int
    sku: str
    outcome: str


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    # Rows that matched an existing product exactly: nothing was written for them.
    unchanged: int = 0
    # The per-row report, in file order.
    rows: tuple[RowOutcome, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class ExportedFile:
    content: bytes
    content_type: str
    filename: str


# ---------------------------------------------------------------------------
# Export


def _category_full_names() -> dict[int, str]:
    """Every category's full name as Oscar shows it ("干货 > 木耳"), in one query.

    Category.full_name asks the database for the ancestors of each category;
    the materialised path already says who they are.
    """
    names_by_path: dict[str, str] = {}
    full_names: dict[int, str] = {}
    step = Category.steplen
    for pk, path, name in Category.objects.order_by("path").values_list("pk", "path", "name"):
        parent = names_by_path.get(path[:-step])
        full = f"{parent}{Category._full_name_separator}{name}" if parent else name
        names_by_path[path] = full
        full_names[pk] = full
    return full_names


def category_names() -> list[str]:
    """The category names the import accepts, full names ("干货 > 木耳"), sorted:
    the import page lists them and offers them for download."""
    return sorted(_category_full_names().values())


def category_names_export(fmt: str) -> ExportedFile:
    """The accepted category names as a one-column XLSX or CSV (下载类目表)."""
    header = _COLUMN_BY_KEY["category"].header
    names = category_names()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([header])
        writer.writerows([_csv_cell(name)] for name in names)
        return ExportedFile(
            buffer.getvalue().encode("utf-8-sig"), CSV_CONTENT_TYPE, "categories.csv"
        )
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = header
        sheet.append([header])
        sheet["A1"].font = Font(bold=True)
        for name in names:
            sheet.append([name])
            sheet.cell(row=sheet.max_row, column=1).data_type = "s"
        sheet.column_dimensions["A"].width = 40
        buffer = io.BytesIO()
        workbook.save(buffer)
        return ExportedFile(buffer.getvalue(), XLSX_CONTENT_TYPE, "categories.xlsx")
    raise ValueError(f"unsupported export format {fmt!r}")


def category_suggestions(text: str, names: Sequence[str], *, limit: int = 3) -> list[str]:
    """Existing full names the user may have meant by ``text``: names whose
    last part contains what was typed (菌菇 → 菌菇干货) or is contained in it,
    then close spellings (difflib) of the full name or of its last part."""
    wanted = _normalise_category_name(text)
    leaf = wanted.rsplit(" > ", 1)[-1]
    by_leaf: dict[str, list[str]] = {}
    for name in names:
        by_leaf.setdefault(name.rsplit(" > ", 1)[-1], []).append(name)
    found: list[str] = []
    if leaf:
        found += [n for n in names if leaf in n.rsplit(" > ", 1)[-1]]
        found += [n for n in names if n.rsplit(" > ", 1)[-1] in leaf]
    found += difflib.get_close_matches(wanted, names, n=limit, cutoff=0.5)
    for close in difflib.get_close_matches(leaf, list(by_leaf), n=limit, cutoff=0.5):
        found += by_leaf[close]
    return list(dict.fromkeys(found))[:limit]


def _category_example(names: Sequence[str]) -> str:
    # A full name with a parent shows the form best; any name will do else.
    return next((n for n in names if " > " in n), names[0] if names else "")


def _own_products(producer):
    # Multi-spec listings are kept in the workspace's 规格 pages: one row per
    # listing cannot carry several codes, prices and stocks (see the import's
    # ``sku_is_variant``).
    return (
        Product.objects.filter(producer=producer, parent=None)
        .exclude(structure=Product.PARENT)
        .select_related("origin_county")
        .prefetch_related(
            "categories",
            Prefetch(
                "stockrecords",
                queryset=StockRecord.objects.filter(partner_id=producer.partner_id).order_by("pk"),
                to_attr="own_stockrecords",
            ),
            Prefetch(
                "attribute_values",
                queryset=ProductAttributeValue.objects.select_related("attribute"),
                to_attr="listing_attribute_values",
            ),
        )
        .order_by("pk")
    )


def _attribute_texts(product) -> dict[str, str]:
    """The listing attributes from prefetched values (``product.attr`` would query)."""
    values = {v.attribute.code: v.value for v in product.listing_attribute_values}
    return {code: str(values.get(code) or "") for code in ATTRIBUTE_CODES}


def _product_category_name(product, full_names: dict[int, str]) -> str:
    # Listings have one category; Oscar allows several, the first by path wins.
    names = sorted(full_names[c.pk] for c in product.categories.all() if c.pk in full_names)
    return names[0] if names else ""


def listing_version(product, stockrecord) -> datetime.datetime:
    """When the listing last changed: its product or its stock record (price
    and stock), whichever is later. The export writes it per row; the import
    compares it with the listing's, so that an older file cannot silently
    revert newer prices."""
    stamps = [product.date_updated]
    if stockrecord is not None and stockrecord.date_updated:
        stamps.append(stockrecord.date_updated)
    return max(stamps)


def _version_text(stamp: datetime.datetime) -> str:
    return timezone.localtime(stamp).isoformat()


def _parse_version(text: str) -> datetime.datetime | None:
    try:
        stamp = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if timezone.is_naive(stamp):
        stamp = timezone.make_aware(stamp)
    return stamp


def _export_rows(producer) -> Iterator[list]:
    full_names = _category_full_names()
    for product in _own_products(producer):
        stockrecord = product.own_stockrecords[0] if product.own_stockrecords else None
        figures = stock_figures(stockrecord)
        values = {
            "sku": stockrecord.partner_sku if stockrecord else "",
            "title": product.title,
            "category": _product_category_name(product, full_names),
            "description": description_to_text(product.description),
            "origin": product.origin_county.code if product.origin_county else "",
            "price": stockrecord.price if stockrecord else None,
            "stock": figures.on_hand if figures else None,
            "allocated": figures.allocated if figures else None,
            "available": figures.available if figures else None,
            "version": _version_text(listing_version(product, stockrecord)),
            **_attribute_texts(product),
        }
        yield [values[c.key] for c in EXPORT_COLUMNS]


def _is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    return f"'{value}" if _is_formula_like(value) else str(value)


def xlsx_text_cell(cell) -> None:
    """Keep a text cell text: a 商品编码 like "0012" must not become 12, and
    openpyxl would store a string starting with "=" as a formula. The quote
    prefix keeps formula-like text inert when someone edits the cell in Excel.
    Every XLSX the site writes (catalogue, settlement statements) uses it."""
    cell.data_type = "s"
    if _is_formula_like(cell.value):
        cell.quotePrefix = True


def _export_csv(rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in EXPORT_COLUMNS])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    # The BOM is how Excel knows a CSV is UTF-8; without it Chinese turns to mojibake.
    return buffer.getvalue().encode("utf-8-sig")


def _export_xlsx(rows: Iterable[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "商品"
    sheet.append([c.header for c in EXPORT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    price_index = next(i for i, c in enumerate(EXPORT_COLUMNS, 1) if c.key == "price")
    for row_number, row in enumerate(rows, start=2):
        for column_number, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column_number, value=value)
            if isinstance(value, str):
                xlsx_text_cell(cell)
            elif column_number == price_index and value is not None:
                cell.number_format = "0.00"
    sheet.freeze_panes = "A2"
    for index, column in enumerate(EXPORT_COLUMNS, start=1):
        width = {"title": 40, "description": 40, "version": 34}.get(column.key, 14)
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class CatalogueExporter:
    """The producer's own products (not variants), one row each, in a fixed
    number of queries whatever the size of the catalogue."""

    formats = ("xlsx", "csv")

    def __init__(self, *, producer):
        self.producer = producer

    def export(self, fmt: str) -> ExportedFile:
        stamp = timezone.localdate().strftime("%Y%m%d")
        filename = f"catalogue-{self.producer.pk}-{stamp}.{fmt}"
        rows = _export_rows(self.producer)
        if fmt == "xlsx":
            return ExportedFile(_export_xlsx(rows), XLSX_CONTENT_TYPE, filename)
        if fmt == "csv":
            return ExportedFile(_export_csv(rows), CSV_CONTENT_TYPE, filename)
        raise ValueError(f"unsupported export format {fmt!r}")


# ---------------------------------------------------------------------------
# Reading an uploaded file


class _FileRejected(Exception):
    def __init__(self, code: str, /, **params):
        self.code = code
        self.params = params


def _read_upload(upload) -> bytes:
    size = getattr(upload, "size", None)
    too_large = _FileRejected("file_too_large", limit=MAX_UPLOAD_BYTES // (1024 * 1024))
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise too_large
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_UPLOAD_BYTES:
        raise too_large
    if not data.strip():
        raise _FileRejected("file_empty")
    return data


def _cell_text(value) -> str:
    """A cell as the text the user meant: spreadsheets turn codes into numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    # Our own export guards formula-like text with an apostrophe; it is not content.
    if text.startswith("'") and text[1:].startswith(_FORMULA_TRIGGERS):
        text = text[1:]
    return text


def _xlsx_rows(data: bytes) -> Iterator[Sequence]:
    unreadable = _FileRejected("file_unreadable")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNCOMPRESSED_BYTES:
                raise _FileRejected("file_content_too_large")
            # Word documents and plain zips are zips too; only a workbook declares its sheet.
            names = set(archive.namelist())
            content_types = (
                archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            )
            if _XLSX_MAIN_PART not in content_types:
                raise _FileRejected("file_not_workbook")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError):
        raise unreadable from None

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; they do not matter here.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
                width = max((i for i, v in enumerate(header, 1) if _cell_text(v)), default=0)
                if width == 0:
                    return
                # Excel may declare the used range as the whole sheet; only the
                # header's columns are read, so blank columns cost nothing.
                yield from sheet.iter_rows(min_row=1, max_col=width, values_only=True)
            finally:
                workbook.close()
    except _FileRejected:
        raise
    # openpyxl parses untrusted XML: any failure means the file cannot be used.
    except Exception:  # noqa: BLE001
        raise unreadable from None


def _decode_text(data: bytes) -> str:
    not_csv = _FileRejected("file_format_unknown")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode 文本" is UTF-16 with a BOM.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise not_csv from None
    else:
        if b"\x00" in data:
            raise not_csv
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Excel in China saves CSV in the system code page (GBK, a subset of GB18030).
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise not_csv from None
    if _CONTROL_CHARACTERS.search(text):
        raise not_csv
    return text


def _csv_rows(data: bytes) -> Iterator[Sequence]:
    text = _decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error:
        raise _FileRejected("file_csv_malformed") from None


def _file_rows(data: bytes) -> Iterator[Sequence]:
    if data.startswith(_ZIP_MAGIC):
        return _xlsx_rows(data)
    for magic, kind in _OTHER_FORMATS:
        if data.startswith(magic):
            if kind == "XLS":
                raise _FileRejected("file_xls_unsupported")
            raise _FileRejected("file_wrong_kind", kind=kind)
    return _csv_rows(data)


@dataclass
class _Row:
    number: int
    values: dict[str, str]


def _parse_rows(data: bytes) -> tuple[set[str], list[_Row], list[RowError]]:
    """The file's columns, its non-blank rows, and problems with its header."""
    rows = iter(_file_rows(data))
    header = next(rows, None)
    if header is None or not any(_cell_text(v) for v in header):
        raise _FileRejected("header_missing")
    errors: list[RowError] = []
    key_by_index: dict[int, str] = {}
    for index, value in enumerate(header):
        text = _cell_text(value).lstrip("\ufeff")
        key = _KEY_BY_HEADER.get(_normalise_header(text)) if text else None
        if key is None:
            continue
        if key in key_by_index.values():
            errors.append(_row_error(1, text, "header_duplicate", header=text))
            continue
        key_by_index[index] = key
    present = set(key_by_index.values())
    for column in COLUMNS:
        if column.required and column.key not in present:
            errors.append(_row_error(1, column.header, "column_missing", header=column.header))
    if errors:
        return present, [], errors

    parsed: list[_Row] = []
    for number, raw in enumerate(rows, start=2):
        values = {
            key: _cell_text(raw[index]) if index < len(raw) else ""
            for index, key in key_by_index.items()
        }
        if not any(values.values()):
            continue
        if len(parsed) == MAX_ROWS:
            raise _FileRejected("too_many_rows", limit=MAX_ROWS)
        parsed.append(_Row(number, values))
    if not parsed:
        raise _FileRejected("no_rows")
    return present, parsed, []


@dataclass(frozen=True)
class CheckedFile:
    """What the upload request learns of a file before queueing it: its format
    (by its bytes) and how many product rows it holds."""

    format: str
    rows: int


def import_file_check(upload) -> CheckedFile:
    """The file's shape, checked in the request so that a wrong file is
    answered at once: size, format, header and the row limit. Raises
    ``CatalogueImportRejected`` with the file's problems; the rows themselves
    are checked by the import job (``CatalogueImporter``)."""
    data, _present, rows = _read_rows(upload)
    return CheckedFile("xlsx" if data.startswith(_ZIP_MAGIC) else "csv", len(rows))


def _read_rows(upload) -> tuple[bytes, set[str], list["_Row"]]:
    """The upload's bytes, the optional columns it has and its product rows;
    ``CatalogueImportRejected`` for a file that cannot be read (size, format,
    header, row limit)."""
    try:
        data = _read_upload(upload)
        present, rows, errors = _parse_rows(data)
    except _FileRejected as rejected:
        raise CatalogueImportRejected(
            [_row_error(0, "", rejected.code, **rejected.params)]
        ) from None
    if errors:
        raise CatalogueImportRejected(errors)
    return data, present, rows


# ---------------------------------------------------------------------------
# Checking rows


def _parse_price(text: str) -> Decimal | None:
    cleaned = text.replace(",", "").replace("，", "").lstrip("¥￥").removesuffix("元").strip()
    try:
        price = Decimal(cleaned)
    except InvalidOperation:
        return None
    return price if price.is_finite() else None


def _parse_stock(text: str) -> int | None:
    cleaned = text.replace(",", "").strip()
    if re.fullmatch(r"\d+", cleaned):
        return int(cleaned)
    # "100.0": a number cell that went through a float.
    if re.fullmatch(r"\d+\.0+", cleaned):
        return int(cleaned.split(".")[0])
    return None


def _normalise_category_name(text: str) -> str:
    return " > ".join(part.strip() for part in text.replace("＞", ">").split(">"))


@dataclass
class _Lookups:
    """Everything the rows refer to, fetched once for the whole file."""

    categories: dict[str, "Category"]
    categories_by_leaf: dict[str, list[str]]
    category_names: list[str]
    regions: dict[str, Region]
    allowed_origin_ids: set[int]
    existing: dict[str, "StockRecord"]
    variant_skus: set[str] = field(default_factory=set)


def _lookups(producer, rows: list[_Row]) -> _Lookups:
    full_names = _category_full_names()
    wanted = {_normalise_category_name(r.values["category"]) for r in rows}
    wanted_ids = [pk for pk, name in full_names.items() if name in wanted]
    objects = Category.objects.in_bulk(wanted_ids)
    categories: dict[str, Category] = {}
    by_leaf: dict[str, list[str]] = {}
    for pk, name in sorted(full_names.items(), key=lambda item: item[1]):
        if pk in objects:
            categories.setdefault(name, objects[pk])
        by_leaf.setdefault(name.rsplit(" > ", 1)[-1], []).append(name)

    codes = {r.values["origin"] for r in rows if re.fullmatch(r"\d{6}", r.values["origin"])}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    allowed = {producer.county_id, *producer.licensed_counties.values_list("pk", flat=True)}

    skus = [r.values["sku"] for r in rows if r.values["sku"]]
    existing = {
        s.partner_sku: s
        for s in StockRecord.objects.filter(
            partner_id=producer.partner_id,
            partner_sku__in=skus,
            product__producer=producer,
            product__parent=None,
        )
        .select_related("product")
        .prefetch_related(
            "product__categories",
            Prefetch(
                "product__attribute_values",
                queryset=ProductAttributeValue.objects.select_related("attribute"),
                to_attr="listing_attribute_values",
            ),
        )
    }
    variant_skus = set(
        StockRecord.objects.filter(
            partner_id=producer.partner_id, partner_sku__in=skus, product__parent__isnull=False
        ).values_list("partner_sku", flat=True)
    )
    names = sorted(full_names.values())
    return _Lookups(categories, by_leaf, names, regions, allowed, existing, variant_skus)


@dataclass
class _Change:
    """What one valid row asks for, ready for the listing services."""

    row: int
    sku: str
    content: ListingContent
    price: Decimal
    stock: int
    stockrecord: "StockRecord | None"
    # The row's 版本 when it is to be held against the listing's (an update
    # whose file carried one, without 确认覆盖): checked on the locked rows.
    exported: datetime.datetime | None = None


class _RowChecker:
    def __init__(
        self, producer, lookups: _Lookups, present: set[str], *, overwrite_newer: bool = False
    ):
        self.producer = producer
        self.lookups = lookups
        self.present = present
        self.overwrite_newer = overwrite_newer
        self.errors: list[RowError] = []
        self.first_row_of_sku: dict[str, int] = {}

    def error(self, row: _Row, key: str, code: str, /, **params) -> None:
        self.errors.append(_row_error(row.number, _COLUMN_BY_KEY[key].header, code, **params))

    def rule(self, row: _Row, check, *args):
        """``check(*args)`` from ``catalogue.rules``; a broken rule is this
        row's error in the column the rule is about."""
        try:
            return check(*args)
        except ListingRuleBroken as broken:
            column = _COLUMN_BY_KEY[_column_key_of_field(broken.field)].header
            self.errors.append(RowError(row.number, column, str(broken), broken.code))
            return None

    def sku(self, row: _Row) -> str | None:
        sku = row.values["sku"]
        if sku in self.lookups.variant_skus:
            self.error(row, "sku", "sku_is_variant", sku=sku)
            return None
        # A code already in the catalogue keys its row whatever alphabet was
        # allowed when it was given; a new one must follow today's rule.
        if sku not in self.lookups.existing and self.rule(row, rules.sku_check, sku) is None:
            return None
        first = self.first_row_of_sku.setdefault(sku, row.number)
        if first != row.number:
            self.error(row, "sku", "sku_repeated", sku=sku, row=first)
            return None
        return sku

    def title(self, row: _Row) -> str | None:
        return self.rule(row, rules.title_check, row.values["title"])

    def category(self, row: _Row):
        text = row.values["category"]
        if not text:
            self.error(row, "category", "category_required")
            return None
        name = _normalise_category_name(text)
        category = self.lookups.categories.get(name)
        if category is None:
            candidates = self.lookups.categories_by_leaf.get(name, [])
            names = self.lookups.category_names
            suggestions = category_suggestions(text, names)
            if len(candidates) == 1:
                self.error(row, "category", "category_not_full_name", name=text, full=candidates[0])
            elif not names:
                self.error(row, "category", "category_none_defined")
            elif suggestions:
                self.error(
                    row, "category", "category_suggested", name=text,
                    suggestions="”或“".join(suggestions),
                )  # fmt: skip
            else:
                self.error(
                    row, "category", "category_not_found", name=text,
                    example=_category_example(names),
                )  # fmt: skip
        return category

    def origin(self, row: _Row) -> Region | None:
        code = row.values["origin"]
        if not re.fullmatch(r"\d{6}", code):
            self.error(row, "origin", "origin_code_invalid")
            return None
        region = self.lookups.regions.get(code)
        if region is None:
            self.error(row, "origin", "region_not_found", code=code)
            return None
        if region.level != Region.Level.COUNTY:
            self.error(row, "origin", "region_not_county", code=code, name=region.name)
            return None
        if region.pk not in self.lookups.allowed_origin_ids:
            self.error(row, "origin", OriginNotLicensed.code, county=region.name)
            return None
        return region

    def price(self, row: _Row) -> Decimal | None:
        text = row.values["price"]
        if not text:
            self.error(row, "price", "price_required")
            return None
        price = _parse_price(text)
        if price is None:
            self.error(row, "price", "price_not_number", value=text)
            return None
        return self.rule(row, rules.price_check, price)

    def stock(self, row: _Row, stockrecord) -> int | None:
        text = row.values["stock"]
        if not text:
            self.error(row, "stock", "stock_required")
            return None
        stock = _parse_stock(text)
        if stock is None:
            self.error(row, "stock", "stock_not_integer")
            return None
        if self.rule(row, rules.stock_check, stock) is None:
            return None
        allocated = (stockrecord.num_allocated or 0) if stockrecord else 0
        if stock < allocated:
            self.error(row, "stock", StockBelowAllocated.code, allocated=allocated)
            return None
        return stock

    def description(self, row: _Row, product) -> str | None:
        # A column the file leaves out keeps what the product has; the
        # listing service checks that text should anything else change.
        if "description" not in self.present and product is not None:
            return description_to_text(product.description)
        return self.rule(row, rules.description_check, row.values.get("description", ""))

    def attributes(self, row: _Row, product) -> dict[str, str] | None:
        current = _attribute_texts(product) if product else {}
        attributes = {}
        for code in ATTRIBUTE_CODES:
            if code not in self.present:
                attributes[code] = current.get(code, "")
                continue
            value = self.rule(row, rules.attribute_value_check, code, row.values[code])
            if value is None:
                return None
            attributes[code] = value
        return attributes

    def check(self, row: _Row) -> "_Change | None":
        sku = self.sku(row)
        stockrecord = self.lookups.existing.get(sku) if sku else None
        product = stockrecord.product if stockrecord else None
        title = self.title(row)
        category = self.category(row)
        description = self.description(row, product)
        origin = self.origin(row)
        attributes = self.attributes(row, product)
        price = self.price(row)
        stock = self.stock(row, stockrecord)
        if None in (sku, title, category, description, origin, attributes, price, stock):
            return None
        content = ListingContent(
            title=title,
            description=description,
            category=category,
            origin_county=origin,
            attributes=attributes,
        )
        change = _Change(row.number, sku, content, price, stock, stockrecord)
        return change if self.version(row, change) else None

    def version(self, row: _Row, change: "_Change") -> bool:
        """Read the row's 版本 into ``change.exported`` when it is to be held
        against the listing (``_stale_rows``, once the rows are locked). Rows
        without a version (hand-made files), new listings and rows the user
        confirmed overwriting are not held; an unreadable version is this
        row's error."""
        text = row.values.get("version", "")
        if not text or change.stockrecord is None or self.overwrite_newer:
            return True
        change.exported = _parse_version(text)
        if change.exported is None:
            self.error(row, "version", "version_invalid", value=text)
            return False
        return True


def _stale_rows(changes: list["_Change"]) -> list[RowError]:
    """Rows exported before their listing's last change, which would revert
    that change; rows that change nothing are never stale. Runs inside the
    import's transaction and locks the listings first (products, then their
    stock records, each in primary-key order, as the listing services do), so a
    change made on the web page between reading the file and writing it is
    seen here, not overwritten."""
    held = [c for c in changes if c.exported is not None]
    if not held:
        return []
    products = products_lock(ids=[c.stockrecord.product_id for c in held])
    records = stockrecords_lock(ids=[c.stockrecord.pk for c in held])
    errors = []
    for change in held:
        current = listing_version(
            products[change.stockrecord.product_id], records[change.stockrecord.pk]
        )
        if current <= change.exported or _differences(change) == (None, None, None):
            continue
        changed = timezone.localtime(current).strftime("%Y-%m-%d %H:%M:%S")
        errors.append(
            _row_error(change.row, _COLUMN_BY_KEY["version"].header, "row_stale", changed=changed)
        )
    return errors


def _content_unchanged(product, content: ListingContent) -> bool:
    """Whether applying ``content`` would change nothing the services compare.

    Unchanged rows are not written at all: a round trip of an export must
    neither send approved listings back to review nor touch 1,000 rows to
    change three prices.
    """
    return (
        product.title == content.title.strip()
        and product.origin_county_id == content.origin_county.pk
        and (
            product.description == description_to_html(content.description)
            or description_to_text(product.description) == content.description.strip()
        )
        and [c.pk for c in product.categories.all()] == [content.category.pk]
        and _attribute_texts(product) == {k: v.strip() for k, v in content.attributes.items()}
    )


def _differences(change: _Change) -> tuple[ListingContent | None, Decimal | None, int | None]:
    """What an update row changes: its content, price and stock, each None
    where the listing already has it."""
    stockrecord = change.stockrecord
    product = stockrecord.product
    content = None if _content_unchanged(product, change.content) else change.content
    price = None if stockrecord.price == change.price else change.price
    stock = None if stockrecord.num_in_stock == change.stock else change.stock
    return content, price, stock


def _apply(change: _Change, *, producer, actor, product_class) -> str:
    """Write one row through the listing services; says what happened."""
    if change.stockrecord is None:
        product_listing_create(
            producer=producer,
            actor=actor,
            sku=change.sku,
            content=change.content,
            price=change.price,
            num_in_stock=change.stock,
            product_class=product_class,
        )
        return "created"
    content, price, stock = _differences(change)
    if content is None and price is None and stock is None:
        return "unchanged"
    product = change.stockrecord.product
    product_listing_update(
        product=product, actor=actor, content=content, price=price, num_in_stock=stock
    )
    return "updated"


# Which column a listing service's refusal is about.
_COLUMN_OF_ERROR = {
    DuplicateSku: "sku",
    OriginNotLicensed: "origin",
    StockBelowAllocated: "stock",
}
_COLUMN_OF_FIELD = {
    "sku": "sku",
    "title": "title",
    "description": "description",
    "origin_county": "origin",
    "price": "price",
    "num_in_stock": "stock",
    **{f"attr_{code}": code for code in ATTRIBUTE_CODES},
}


def _column_key_of_field(name: str) -> str:
    return _COLUMN_OF_FIELD.get(name, "sku")


def _column_of_error(exc: ListingError) -> str:
    if isinstance(exc, ListingRuleBroken):
        key = _column_key_of_field(exc.field)
    else:
        key = _COLUMN_OF_ERROR.get(type(exc), "sku")
    return _COLUMN_BY_KEY[key].header


def _validation_errors(row: int, exc: ValidationError) -> list[RowError]:
    """A model's full_clean() refusal, against the columns it is about."""
    if not hasattr(exc, "error_dict"):
        return [RowError(row, "", m, "listing_invalid") for m in exc.messages]
    return [
        RowError(row, _COLUMN_BY_KEY[key].header if key else "", message, "listing_invalid")
        for field_name, messages in exc.message_dict.items()
        for key in [_COLUMN_OF_FIELD.get(field_name)]
        for message in messages
    ]


class _RollBack(Exception):
    pass


def _in_lock_order(changes: list[_Change]) -> list[_Change]:
    """Updates by product id, then new SKUs in order: the services lock each
    product (and insert each SKU under a unique index) as they go, and two
    imports that met the same rows in file order could deadlock."""
    updates = sorted((c for c in changes if c.stockrecord), key=lambda c: c.stockrecord.product_id)
    creates = sorted((c for c in changes if not c.stockrecord), key=lambda c: c.sku)
    return updates + creates


# The stages an import reports progress in (``CatalogueImporter.import_file``).
CHECKING = "checking"
APPLYING = "applying"


class ImportProgress(Protocol):
    def __call__(self, *, stage: str, done: int, total: int) -> None: ...


def _no_progress(*, stage: str, done: int, total: int) -> None:
    return None


class CatalogueImporter:
    """Creates or updates a producer's products from an XLSX or CSV file.

    Every row is checked before anything is written; a file with any problem
    raises ``CatalogueImportRejected`` with all of them and changes nothing.
    A clean file is applied in one transaction; a listing service refusing a
    row rolls every row back and is reported for that row.
    """

    def __init__(self, *, producer, actor, overwrite_newer: bool = False):
        self.producer = producer
        self.actor = actor
        # The user confirmed that rows exported before the listing's last
        # change may overwrite it (确认覆盖, ``--force-stale``).
        self.overwrite_newer = overwrite_newer

    def import_file(
        self,
        upload,
        *,
        progress: "ImportProgress | None" = None,
        before_commit: "Callable[[ImportResult], None] | None" = None,
    ) -> ImportResult:
        """Import ``upload``. ``progress(stage=, done=, total=)`` is told how
        far the import is: ``checking`` rows (before the apply transaction
        opens) and ``applying`` rows (inside it; ``done=0`` just before it
        opens). ``before_commit(result)`` runs inside the apply transaction
        once every row is written; raising there rolls them all back."""
        if not partner_is_managed_by(partner_id=self.producer.partner_id, user=self.actor):
            raise ListingPermissionDenied()
        report = progress or _no_progress
        present, rows = self._read(upload)
        changes = self._check(present, rows, report)
        return self._apply_all(changes, report, before_commit)

    def _read(self, upload) -> tuple[set[str], list[_Row]]:
        _data, present, rows = _read_rows(upload)
        return present, rows

    def _check(
        self, present: set[str], rows: list[_Row], report: "ImportProgress"
    ) -> list[_Change]:
        total = len(rows)
        report(stage=CHECKING, done=0, total=total)
        checker = _RowChecker(
            self.producer,
            _lookups(self.producer, rows),
            present,
            overwrite_newer=self.overwrite_newer,
        )
        changes = []
        for done, row in enumerate(rows, start=1):
            changes.append(checker.check(row))
            report(stage=CHECKING, done=done, total=total)
        if checker.errors:
            raise CatalogueImportRejected(checker.errors)
        return changes

    def _apply_all(
        self,
        changes: list[_Change],
        report: "ImportProgress",
        before_commit: "Callable[[ImportResult], None] | None",
    ) -> ImportResult:
        outcomes: list[RowOutcome] = []
        service_errors: list[RowError] = []
        total = len(changes)
        report(stage=APPLYING, done=0, total=total)
        try:
            with transaction.atomic():
                # Updates set the listing attributes on the product class, which
                # only creating a listing makes sure exist; without them values
                # are lost.
                product_class = listing_product_class()
                service_errors.extend(_stale_rows(changes))
                if service_errors:
                    raise _RollBack
                for done, change in enumerate(_in_lock_order(changes), start=1):
                    try:
                        outcome = _apply(
                            change,
                            producer=self.producer,
                            actor=self.actor,
                            product_class=product_class,
                        )
                    except ListingError as exc:
                        service_errors.append(
                            RowError(change.row, _column_of_error(exc), str(exc), exc.code)
                        )
                    except ValidationError as exc:
                        service_errors.extend(_validation_errors(change.row, exc))
                    else:
                        outcomes.append(RowOutcome(change.row, change.sku, outcome))
                    # Later rows are still tried so that the report is complete;
                    # each service call is its own savepoint, so a refusal leaves
                    # the transaction usable.
                    report(stage=APPLYING, done=done, total=total)
                if service_errors:
                    raise _RollBack
                outcomes.sort(key=lambda o: o.row)
                counts = {kind: sum(o.outcome == kind for o in outcomes) for kind in _OUTCOMES}
                result = ImportResult(**counts, rows=tuple(outcomes))
                if before_commit is not None:
                    before_commit(result)
        except _RollBack:
            service_errors.sort(key=lambda e: e.row)
            raise CatalogueImportRejected(service_errors) from None
        return result


_OUTCOMES = ("created", "updated", "unchanged")


# ---------------------------------------------------------------------------
# Error report


def import_error_report(errors: Iterable[RowError]) -> bytes:
    """The problems of a rejected file as an XLSX the producer can download."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("导入问题")
    sheet.append([_("行号"), _("列"), _("问题"), _("错误代码")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for error in sorted(errors, key=lambda e: e.row):
        row = [error.row if error.row else _("整个文件"), error.column, error.message, error.code]
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 80
    sheet.column_dimensions["D"].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
