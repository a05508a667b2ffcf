"""Downloads from a unit's own pages (its annual filing report, its contract
list) and from a producer's workspace (its sales by channel), as XLSX or PDF.

A unit is looked up among the units the user may open (``_unit``: its
members, supervisors above it, staff); a producer among those the user
manages, or any for platform staff. Anyone else's id is a 404. Who may
download is checked on the primary; the report itself reads the replica
(``reporting_reads``)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from common.db_routing import reporting_reads
from common.roles import is_platform_staff
from procurement.exports import (
    producer_sales,
    producer_sales_pdf,
    producer_sales_xlsx,
    unit_contracts_pdf,
    unit_contracts_xlsx,
    unit_report,
    unit_report_pdf,
    unit_report_xlsx,
)
from procurement.selectors import contracts_visible_to_buyer
from procurement.views._common import _unit, _year_or_404
from producers.models import Producer
from producers.selectors import producers_managed_by

FORMATS = ("xlsx", "pdf")


def _download(exported) -> HttpResponse:
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404
    return fmt


@login_required
def unit_report_download(request, unit_pk: int, year: int, fmt: str):
    fmt = _format(fmt)
    unit = _unit(request, unit_pk)
    year = _year_or_404(year)
    with reporting_reads():
        report = unit_report(unit=unit, year=year)
        exported = unit_report_xlsx(report) if fmt == "xlsx" else unit_report_pdf(report)
    return _download(exported)


@login_required
def unit_contracts_download(request, unit_pk: int, fmt: str):
    fmt = _format(fmt)
    unit = _unit(request, unit_pk)
    exporter = unit_contracts_xlsx if fmt == "xlsx" else unit_contracts_pdf
    with reporting_reads():
        contracts = list(
            contracts_visible_to_buyer(user=request.user)
            .filter(organisation=unit)
            .order_by("-created_at", "-pk")
        )
        exported = exporter(unit=unit, contracts=contracts)
    return _download(exported)


@login_required
def producer_sales_download(request, producer_pk: int, year: int, fmt: str):
    fmt = _format(fmt)
    producers = (
        Producer.objects.select_related("partner")
        if is_platform_staff(request.user)
        else producers_managed_by(user=request.user)
    )
    producer = get_object_or_404(producers, pk=producer_pk)
    year = _year_or_404(year)
    with reporting_reads():
        sales = producer_sales(producer=producer, year=year)
        exported = producer_sales_xlsx(sales) if fmt == "xlsx" else producer_sales_pdf(sales)
    return _download(exported)
