"""The bulletin's trend, channel shares and pairings: frozen in its JSON,
shown on its page, in its XLSX and, as server-drawn SVG charts, in its PDF."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from oversight import services
from oversight.bulletins import bulletin_channels_chart, bulletin_trend_chart
from oversight.models import Bulletin
from procurement.models import ContractStatus
from tests.factories import StaffUserFactory
from tests.factories.procurement import PairingFactory, contract_in_state
from tests.support.oversight import OCTOBER, YEAR

pytestmark = pytest.mark.django_db


def _ready(region=None, period=OCTOBER):
    bulletin = Bulletin.objects.create(
        region=region, period_kind=period.kind, period_key=period.slug
    )
    return services.bulletin_generate(bulletin_id=bulletin.pk)


@pytest.fixture
def paired(programme):
    u1, u2, u3, soe = programme["units"]
    PairingFactory(
        name="紫阳中学帮扶柞水", helper_unit=u2.organisation,
        helped_counties=[programme["zhashui"]], starts_on=datetime.date(YEAR, 1, 1),
    )  # fmt: skip
    return programme


def test_pairings_and_trend_are_frozen_with_the_bulletin(paired):
    bulletin = _ready()
    figures = bulletin.figures
    assert figures["version"] == 2
    (row,) = figures["pairings"]
    assert (row["name"], row["contracts"], row["off_platform"], row["total"]) == (
        "紫阳中学帮扶柞水",
        "798.00",
        "0.00",
        "798.00",
    )
    assert row["counties"] == ["柞水县"]
    assert [p["key"] for p in figures["trend"]][-2:] == [f"{YEAR}-09", f"{YEAR}-10"]
    assert [p["total"] for p in figures["trend"]][-2:] == ["199.50", "2576.80"]
    services.bulletin_publish(bulletin=bulletin, actor=StaffUserFactory())

    # The school buys more from 柞水 in October, entered after publication.
    u2 = paired["units"][1]
    product = paired["october_a"].lines.get().product
    contract_in_state(
        u2, product, 5, ContractStatus.ACCEPTED, accepted_on=datetime.date(YEAR, 10, 28)
    )
    bulletin.refresh_from_db()
    assert bulletin.figures["pairings"][0]["total"] == "798.00"
    assert bulletin.figures["trend"][-1]["total"] == "2576.80"
    assert _ready().figures["pairings"][0]["total"] == str(Decimal("798.00") + 5 * Decimal("39.90"))


def test_the_bulletin_page_xlsx_and_pdf_carry_pairings_and_charts(client, paired):
    bulletin = _ready()
    client.force_login(StaffUserFactory())
    page = client.get(reverse("oversight:bulletin", args=[bulletin.pk])).content.decode()
    assert 'id="bulletin-pairings"' in page and "紫阳中学帮扶柞水" in page
    assert 'id="bulletin-trend-chart"' in page and 'id="bulletin-channels-chart"' in page

    response = client.get(reverse("oversight:bulletin-download", args=[bulletin.pk, "xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["结对帮扶采购"].iter_rows(min_row=2, values_only=True))
    assert rows == [("紫阳中学帮扶柞水", "定点帮扶", "紫阳县中学", "柞水县", 798, 0, 798)]
    trend = list(workbook["销售额趋势"].iter_rows(min_row=2, values_only=True))
    assert trend[-1] == (f"{YEAR}年10月", 2576.8, 0)

    response = client.get(reverse("oversight:bulletin-download", args=[bulletin.pk, "pdf"]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "结对帮扶采购" in text and "紫阳中学帮扶柞水" in text
    # The channel chart's legend (drawn as SVG text): 1197.00 of 2576.80 is 46.5 %.
    assert "单位采购 0.12 万元（46.5%）" in text
    assert "销售额趋势" in text


def test_chart_geometry_from_frozen_figures(paired):
    figures = _ready().figures
    channels = bulletin_channels_chart(figures)
    widths = [s["width"] for s in channels["segments"]]
    # 560 units split 79.80 : 1197.00 : 300.00 : 1000.00 of 2576.80.
    assert widths == [17, 260, 65, 217]
    trend = bulletin_trend_chart(figures)
    last_point = trend["current"].split()[-1]
    assert last_point == f"{trend['right']:.1f},{trend['top']:.1f}"  # October is the top
    assert trend["top_label"] == "0.26"
    # A bulletin frozen before trends were kept draws no trend chart.
    assert bulletin_trend_chart({k: v for k, v in figures.items() if k != "trend"}) is None
