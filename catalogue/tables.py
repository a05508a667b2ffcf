"""Reading a staff spreadsheet (XLSX or CSV) of simple rows, with the same
safeguards as the catalogue importer (catalogue.importers: size and
decompression limits, the format told by the bytes, Excel's habits), for the
importers of reference prices (catalogue.price_importer) and pairings
(procurement.importers). ``read_table`` returns the non-blank rows keyed by
column or raises ``TableRejected`` with every problem of the file or header,
as ``catalogue.importers.RowError`` with the catalogue importer's codes."""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from catalogue.importers import (
    MAX_ROWS,
    Column,
    RowError,
    _cell_text,
    _file_rows,
    _FileRejected,
    _normalise_header,
    _read_upload,
    _row_error,
)


class TableRejected(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} problems")


@dataclass
class TableRow:
    number: int
    values: dict[str, str]


def read_table(upload, columns: Sequence[Column], *, max_rows: int = MAX_ROWS) -> list[TableRow]:
    key_by_header = {
        _normalise_header(name): column.key
        for column in columns
        for name in (column.header, *column.aliases)
    }
    try:
        rows = iter(_file_rows(_read_upload(upload)))
        header = next(rows, None)
        if header is None or not any(_cell_text(v) for v in header):
            raise _FileRejected("header_missing")
        errors: list[RowError] = []
        key_by_index: dict[int, str] = {}
        for index, value in enumerate(header):
            text = _cell_text(value).lstrip("\ufeff")
            key = key_by_header.get(_normalise_header(text)) if text else None
            if key is None:
                continue
            if key in key_by_index.values():
                errors.append(_row_error(1, text, "header_duplicate", header=text))
                continue
            key_by_index[index] = key
        present = set(key_by_index.values())
        for column in columns:
            if column.required and column.key not in present:
                errors.append(_row_error(1, column.header, "column_missing", header=column.header))
        if errors:
            raise TableRejected(errors)
        parsed: list[TableRow] = []
        for number, raw in enumerate(rows, start=2):
            values = {
                key: _cell_text(raw[index]) if index < len(raw) else ""
                for index, key in key_by_index.items()
            }
            if not any(values.values()):
                continue
            if len(parsed) == max_rows:
                raise _FileRejected("too_many_table_rows", limit=max_rows)
            parsed.append(TableRow(number, values))
        if not parsed:
            raise _FileRejected("no_table_rows")
    except _FileRejected as rejected:
        raise TableRejected([_row_error(0, "", rejected.code, **rejected.params)]) from None
    return parsed


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_date(text: str) -> datetime.date | None:
    """2026-03-01, 2026/3/1 or 2026年3月1日 (a date cell arrives as the first)."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
