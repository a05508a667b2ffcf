"""Downloads as XLSX and PDF: a spreadsheet of named sheets (``sheets_xlsx``,
shared by the bulletins, the unit's annual filing report and the producer's
sales by channel), and the unit and producer exports themselves.

Every XLSX cell that holds text stays text (``xlsx_text_cell``: no formula
injection, no "0012" turned into 12); money is a number with two decimals.
"""

import datetime
import io
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import DecimalField, ExpressionWrapper, F, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from oscar.core.loading import get_model

from catalogue.importers import XLSX_CONTENT_TYPE, ExportedFile, xlsx_text_cell
from common.pdf import PDF_CONTENT_TYPE, PDF_FONT_FAMILY, html_pdf
from procurement.models import COUNTED_CONTRACT_STATUSES, BuyerOrganisation, Contract, ContractLine
from procurement.selectors import UnitProgress, unit_counted_contracts, unit_progress
from procurement.statements import consumer_sold_statuses
from producers.models import Producer

Line = get_model("order", "Line")
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)

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


# --- the unit's annual filing report and contract list ------------------------------


def _pdf(template: str, context: dict, filename: str) -> ExportedFile:
    html = render_to_string(template, {**context, "font_family": PDF_FONT_FAMILY})
    return ExportedFile(html_pdf(html), PDF_CONTENT_TYPE, filename)


def _contract_row(contract) -> list:
    return [
        contract.number,
        contract.producer.partner.name,
        str(contract.get_status_display()),
        contract.goods_amount,
        contract.accepted_amount,
        contract.accepted_on,
        contract.due_date,
    ]


def _contract_headers() -> list[str]:
    return [_("合同编号"), _("生产主体"), _("状态"), _("货款金额（元）"), _("验收金额（元）"),
            _("验收日期"), _("付款到期日")]  # fmt: skip


@dataclass
class UnitReport:
    """A unit's annual filing report (年度预留份额执行情况): the figures of
    ``unit_progress`` and the contracts it counted."""

    unit: BuyerOrganisation
    progress: UnitProgress
    contracts: list[Contract]

    @property
    def title(self) -> str:
        return _("%(unit)s %(year)s年度预留份额执行情况") % {
            "unit": self.unit.name,
            "year": self.progress.year,
        }


def unit_report(*, unit: BuyerOrganisation, year: int) -> UnitReport:
    return UnitReport(
        unit=unit,
        progress=unit_progress(unit=unit, year=year),
        contracts=list(
            unit_counted_contracts(unit=unit, year=year)
            .select_related("producer__partner")
            .order_by("accepted_on", "pk")
        ),
    )


def unit_report_xlsx(report: UnitReport) -> ExportedFile:
    progress = report.progress
    summary = [
        [_("年度目标（元）"), progress.target],
        [_("已完成（元）"), progress.counted],
        [_("其中平台合同（元）"), progress.counted_contracts],
        [_("其中经核实的平台外采购（元）"), progress.counted_off_platform],
        [_("完成比例（%）"), progress.percent],
        [_("尚差（元）"), progress.remaining],
        [_("在途（已下单未验收）（元）"), progress.pending],
    ]
    if progress.helped_sales is not None:
        summary.append([_("帮助销售额（单独统计）（元）"), progress.helped_sales])
    months = [
        [_("%(month)d月") % {"month": m["month"]}, m["amount"], m["cumulative"]]
        for m in progress.by_month
    ]
    sheets = [
        Sheet(_("执行情况"), [_("指标"), _("数值")], summary, heading=report.title),
        Sheet(_("按月"), [_("月份"), _("当月完成（元）"), _("累计完成（元）")], months),
        Sheet(_("计入合同"), _contract_headers(), [_contract_row(c) for c in report.contracts]),
    ]
    return sheets_xlsx(sheets, filename=f"unit-{report.unit.pk}-report-{progress.year}.xlsx")


def unit_report_pdf(report: UnitReport) -> ExportedFile:
    return _pdf(
        "procurement/exports/unit_report_pdf.html",
        {"report": report, "title": report.title},
        f"unit-{report.unit.pk}-report-{report.progress.year}.pdf",
    )


def unit_contracts_xlsx(*, unit: BuyerOrganisation, contracts) -> ExportedFile:
    title = _("%(unit)s 合同清单") % {"unit": unit.name}
    sheet = Sheet(
        _("合同清单"), _contract_headers(), [_contract_row(c) for c in contracts], heading=title
    )
    return sheets_xlsx([sheet], filename=f"unit-{unit.pk}-contracts.xlsx")


def unit_contracts_pdf(*, unit: BuyerOrganisation, contracts) -> ExportedFile:
    title = _("%(unit)s 合同清单") % {"unit": unit.name}
    return _pdf(
        "procurement/exports/contracts_pdf.html",
        {"unit": unit, "contracts": contracts, "title": title},
        f"unit-{unit.pk}-contracts.pdf",
    )


# --- the producer's sales by channel -----------------------------------------------


@dataclass
class SalesMonth:
    month: int
    consumer: Decimal = ZERO
    agency: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.consumer + self.agency


@dataclass
class ProducerSales:
    """A producer's sales in a year by channel and month: consumer orders paid
    (``consumer_sold_statuses``, on the local day the order was placed) and
    agency contracts accepted (accepted quantity × unit price, on the
    acceptance day; freight is not a sale of produce)."""

    producer: Producer
    year: int
    months: list[SalesMonth]

    @property
    def consumer(self) -> Decimal:
        return sum((m.consumer for m in self.months), ZERO)

    @property
    def agency(self) -> Decimal:
        return sum((m.agency for m in self.months), ZERO)

    @property
    def total(self) -> Decimal:
        return self.consumer + self.agency

    @property
    def title(self) -> str:
        return _("%(producer)s %(year)s年销售情况（按渠道）") % {
            "producer": self.producer.partner.name,
            "year": self.year,
        }


def producer_sales(*, producer: Producer, year: int) -> ProducerSales:
    """Two grouped queries, whatever the number of orders and contracts."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=zone)
    months = {m: SalesMonth(month=m) for m in range(1, 13)}
    for month, total in (
        Line.objects.filter(
            partner_id=producer.partner_id,
            order__status__in=consumer_sold_statuses(),
            order__date_placed__gte=start,
            order__date_placed__lt=end,
        )
        .annotate(month=ExtractMonth("order__date_placed", tzinfo=zone))
        .values("month")
        .annotate(total=Coalesce(Sum("line_price_incl_tax"), Value(ZERO), output_field=MONEY))
        .values_list("month", "total")
        .order_by()
    ):
        months[month].consumer += total
    for month, total in (
        ContractLine.objects.filter(
            contract__producer=producer,
            contract__status__in=COUNTED_CONTRACT_STATUSES,
            contract__accepted_on__year=year,
            accepted_quantity__isnull=False,
        )
        .annotate(month=ExtractMonth("contract__accepted_on"))
        .values("month")
        .annotate(
            total=Coalesce(
                Sum(
                    ExpressionWrapper(F("accepted_quantity") * F("unit_price"), output_field=MONEY)
                ),
                Value(ZERO),
                output_field=MONEY,
            )
        )
        .values_list("month", "total")
        .order_by()
    ):
        months[month].agency += total
    return ProducerSales(producer=producer, year=year, months=list(months.values()))


def producer_sales_xlsx(sales: ProducerSales) -> ExportedFile:
    rows = [
        [_("%(month)d月") % {"month": m.month}, m.consumer, m.agency, m.total] for m in sales.months
    ]
    rows.append([_("合计"), sales.consumer, sales.agency, sales.total])
    sheet = Sheet(
        _("按渠道销售"),
        [_("月份"), _("个人消费订单（元）"), _("单位采购合同（元）"), _("合计（元）")],
        rows,
        heading=sales.title,
    )
    return sheets_xlsx([sheet], filename=f"producer-{sales.producer.pk}-sales-{sales.year}.xlsx")


def producer_sales_pdf(sales: ProducerSales) -> ExportedFile:
    return _pdf(
        "procurement/exports/producer_sales_pdf.html",
        {"sales": sales, "title": sales.title},
        f"producer-{sales.producer.pk}-sales-{sales.year}.pdf",
    )
