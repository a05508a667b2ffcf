"""Importing pairings (结对帮扶关系) from a staff spreadsheet:
``PairingImporter(actor=...).import_file(upload)``, called by the staff page
and the ``procurement_import_pairings`` command. One new pairing per row. All
or nothing: every row is checked with procurement.rules.pairing_check first;
a file with any problem raises ``PairingImportRejected`` listing each (row,
column, message, code) and changes nothing; a clean file is saved in one
transaction through procurement.services.pairing_save."""

from django.db import transaction

from catalogue.importers import Column, RowError, _row_error
from catalogue.tables import TableRejected, TableRow, parse_date, read_table
from procurement.exceptions import (
    PairingCountyNotCounty,
    PairingDatesReversed,
    PairingError,
    PairingHelperNotOne,
    PairingHelperUnitNotFound,
    PairingImportRejected,
    PairingNoCounties,
    PairingRegionNotFound,
)
from procurement.models import Pairing, PairingKind
from procurement.rules import PairingData, pairing_check, pairing_county_codes
from procurement.services import pairing_save
from procurement.services._common import _require_staff

MAX_ROWS = 1000
COLUMNS = [
    Column("kind", "结对类型", ("kind", "类型"), True),
    Column("name", "结对名称", ("name", "名称"), True),
    Column("helper_unit", "帮扶单位信用代码", ("helper_unit_uscc", "帮扶单位"), False),
    Column("helper_region", "帮扶地区代码", ("helper_region_code", "帮扶地区"), False),
    Column("counties", "受帮扶县代码", ("county_codes", "受帮扶县"), True),
    Column("starts_on", "开始日期", ("starts_on", "起始日期"), True),
    Column("ends_on", "结束日期", ("ends_on", "截止日期"), False),
]
_HEADER = {column.key: column.header for column in COLUMNS}
# Which column a rule's refusal is about.
_ERROR_COLUMN = {
    PairingHelperNotOne: "helper_unit",
    PairingHelperUnitNotFound: "helper_unit",
    PairingRegionNotFound: "counties",
    PairingNoCounties: "counties",
    PairingCountyNotCounty: "counties",
    PairingDatesReversed: "ends_on",
}


def _kind_of(text: str) -> str | None:
    for value, label in PairingKind.choices:
        if text in (value, str(label)):
            return value
    return None


class PairingImporter:
    def __init__(self, *, actor):
        self.actor = actor

    def import_file(self, upload) -> list[Pairing]:
        _require_staff(self.actor)
        try:
            rows = read_table(upload, COLUMNS, max_rows=MAX_ROWS)
        except TableRejected as rejected:
            raise PairingImportRejected(rejected.errors) from None
        errors: list[RowError] = []
        checked = [self._check(row, errors) for row in rows]
        if errors:
            raise PairingImportRejected(errors)
        with transaction.atomic():
            return [pairing_save(actor=self.actor, data=data) for data in checked]

    def _check(self, row: TableRow, errors: list[RowError]) -> PairingData | None:
        values = row.values
        before = len(errors)

        def refuse(key, code, **params):
            errors.append(_row_error(row.number, _HEADER[key], code, **params))

        for key in ("kind", "name", "counties", "starts_on"):
            if not values.get(key):
                refuse(key, "table_value_required", header=_HEADER[key])
        kind = _kind_of(values.get("kind", ""))
        if values.get("kind") and kind is None:
            refuse(
                "kind",
                "table_choice_unknown",
                value=values["kind"],
                header=_HEADER["kind"],
                choices="、".join(str(label) for _value, label in PairingKind.choices),
            )
        dates = {}
        for key in ("starts_on", "ends_on"):
            text = values.get(key, "")
            dates[key] = parse_date(text) if text else None
            if text and dates[key] is None:
                refuse(key, "table_date_invalid", value=text)
        if len(errors) > before:
            return None
        try:
            return pairing_check(
                kind=kind,
                name=values["name"],
                helper_unit_uscc=values.get("helper_unit", ""),
                helper_region_code=values.get("helper_region", ""),
                county_codes=pairing_county_codes(values["counties"]),
                starts_on=dates["starts_on"],
                ends_on=dates["ends_on"],
            )
        except PairingError as exc:
            key = _ERROR_COLUMN.get(type(exc), "name")
            if exc.params.get("code") and exc.params["code"] == values.get("helper_region"):
                key = "helper_region"
            errors.append(RowError(row.number, _HEADER[key], str(exc), exc.code))
            return None
