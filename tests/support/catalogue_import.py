"""Building catalogue import files (XLSX and CSV rows under the importer's
headers) for the importer and import-job tests."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from catalogue.importers import COLUMNS

HEADERS = [c.header for c in COLUMNS]
ZHASHUI = "611026"  # 柞水县, the factories' producer county


def row(sku, *, title=None, category="干货 > 木耳", description="椴木栽培，自然晾晒。",
        origin=ZHASHUI, net_content="250g", spec="礼盒装", shelf_life="24个月",
        storage="阴凉干燥处", price="39.90", stock="100"):  # fmt: skip
    return [
        sku,
        title if title is not None else f"柞水黑木耳 {sku}",
        category,
        description,
        origin,
        net_content,
        spec,
        shelf_life,
        storage,
        price,
        stock,
    ]


def xlsx_bytes(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, headers=HEADERS, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload(content: bytes, name="商品.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
