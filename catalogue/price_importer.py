"""Importing reference market prices (参考市场价) from a staff spreadsheet:
``ReferencePriceImporter(actor=...).import_file(upload)``, called by the price
watch page and the ``catalogue_import_reference_prices`` command. One new
reference price per row. All or nothing: every row is checked with
catalogue.rules.reference_price_check first; a file with any problem raises
``ReferencePriceImportRejected`` listing each (row, column, message, code) and
changes nothing; a clean file is saved in one transaction."""

import re

from django.db import transaction

from catalogue.exceptions import (
    ReferencePriceCategoryNotFound,
    ReferencePriceDateInFuture,
    ReferencePriceError,
    ReferencePriceImportRejected,
    ReferencePriceNotPositive,
    ReferencePriceRegionNotProvince,
    ReferencePriceStaffOnly,
)
from catalogue.importers import (
    Category,
    Column,
    RowError,
    _category_full_names,
    _parse_price,
    _row_error,
)
from catalogue.rules import reference_price_check
from catalogue.services import reference_price_record
from catalogue.tables import TableRejected, TableRow, parse_date, read_table
from regions.models import Region

MAX_ROWS = 2000
# "水果>苹果" and "水果 > 苹果" both name Oscar's "水果 > 苹果".
_FULL_NAME_SEPARATOR = re.compile(r"\s*>\s*")
COLUMNS = [
    Column("category", "商品品类", ("category", "分类"), True),
    Column("region", "适用省份代码", ("region_code", "省份代码"), False),
    Column("price", "参考价（元）", ("price", "参考价"), True),
    Column("unit", "计价单位", ("unit", "单位"), True),
    Column("source", "价格来源", ("source", "来源"), True),
    Column("observed_on", "采价日期", ("observed_on", "日期"), True),
]
_HEADER = {column.key: column.header for column in COLUMNS}
_ERROR_COLUMN = {
    ReferencePriceNotPositive: "price",
    ReferencePriceRegionNotProvince: "region",
    ReferencePriceDateInFuture: "observed_on",
}


class ReferencePriceImporter:
    def __init__(self, *, actor):
        self.actor = actor

    def import_file(self, upload) -> list:
        if not (self.actor.is_authenticated and self.actor.is_staff):
            raise ReferencePriceStaffOnly()
        try:
            rows = read_table(upload, COLUMNS, max_rows=MAX_ROWS)
        except TableRejected as rejected:
            raise ReferencePriceImportRejected(rejected.errors) from None
        categories = {name: pk for pk, name in _category_full_names().items()}
        categories_by_pk = Category.objects.in_bulk(set(categories.values()))
        regions = {
            region.code: region
            for region in Region.objects.filter(
                code__in={row.values.get("region", "") for row in rows}
            )
        }
        errors: list[RowError] = []
        checked = [self._check(row, errors, categories, categories_by_pk, regions) for row in rows]
        if errors:
            raise ReferencePriceImportRejected(errors)
        with transaction.atomic():
            return [reference_price_record(actor=self.actor, data=data) for data in checked]

    def _check(self, row: TableRow, errors, categories, categories_by_pk, regions):
        values = row.values
        before = len(errors)

        def refuse(key, code, **params):
            errors.append(_row_error(row.number, _HEADER[key], code, **params))

        for key in ("category", "price", "unit", "source", "observed_on"):
            if not values.get(key):
                refuse(key, "table_value_required", header=_HEADER[key])
        category = None
        if values.get("category"):
            pk = categories.get(_FULL_NAME_SEPARATOR.sub(" > ", values["category"]))
            if pk is None:
                exc = ReferencePriceCategoryNotFound(params={"name": values["category"]})
                errors.append(RowError(row.number, _HEADER["category"], str(exc), exc.code))
            else:
                category = categories_by_pk[pk]
        region = None
        if values.get("region"):
            region = regions.get(values["region"])
            if region is None:
                refuse("region", "region_not_found", code=values["region"])
        price = _parse_price(values["price"]) if values.get("price") else None
        if values.get("price") and price is None:
            refuse("price", "table_price_invalid", value=values["price"])
        observed_on = parse_date(values["observed_on"]) if values.get("observed_on") else None
        if values.get("observed_on") and observed_on is None:
            refuse("observed_on", "table_date_invalid", value=values["observed_on"])
        if len(errors) > before:
            return None
        try:
            return reference_price_check(
                category=category,
                region=region,
                price=price,
                unit=values["unit"],
                source=values["source"],
                observed_on=observed_on,
            )
        except ReferencePriceError as exc:
            key = _ERROR_COLUMN.get(type(exc), "unit")
            errors.append(RowError(row.number, _HEADER[key], str(exc), exc.code))
            return None
