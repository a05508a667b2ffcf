"""Downloads as XLSX and PDF: a spreadsheet of named sheets (``sheets_xlsx``,
shared by the bulletins, the unit's annual filing report and the producer's
sales by channel), and the unit and producer exports themselves.

Every XLSX cell that holds text stays text (``xlsx_text_cell``: no formula
injection, no "0012" turned into 12); money is a number with two decimals.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from catalogue.importers import XLSX_CONTENT_TYPE, ExportedFile, xlsx_text_cell

MONEY_FORMAT = "#,##0.00"
SHEET_TITLE_LIMIT = 31  # Excel's limit


@dataclass
class Sheet:
    """One sheet: a title, an optional heading line, column headers and rows."""

    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    heading: str = ""


def sheets_xlsx(sheets: list[Sheet], *, filename: str) -> ExportedFile:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:SHEET_TITLE_LIMIT])
        if spec.heading:
            sheet.append([spec.heading])
            sheet.cell(row=1, column=1).font = Font(bold=True)
            xlsx_text_cell(sheet.cell(row=1, column=1))
        sheet.append(spec.headers)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
            xlsx_text_cell(cell)
        for row in spec.rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    xlsx_text_cell(cell)
                elif isinstance(cell.value, Decimal):
                    cell.number_format = MONEY_FORMAT
                elif isinstance(cell.value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
        for index in range(1, len(spec.headers) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return ExportedFile(buffer.getvalue(), XLSX_CONTENT_TYPE, filename)
