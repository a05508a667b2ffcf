"""A provincial programme office's month in a real browser (issue 14's "Done
when"): it picks its province and October, reads the totals and rankings,
drills down to a county, its producers and a unit, generates the monthly
bulletin (the task runs eagerly in the test settings), edits the commentary,
publishes it and downloads it as PDF and XLSX. Then a contract accepted in
October is recorded late: the published bulletin's page and downloads stay as
they were, the overview's October figure shows the new amount, and November's
bulletin carries the correction note."""

import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from oversight.models import Bulletin
from procurement.models import ContractStatus
from tests.factories.oversight import ProgrammeOfficeFactory
from tests.factories.procurement import contract_in_state
from tests.support.browser import sign_in
from tests.support.oversight import NOVEMBER, OCTOBER, YEAR

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

COMMENTARY = "商洛市进度偏慢，请加快验收和付款。"
BULLETIN_SECTIONS = (
    "#bulletin-summary",
    "#bulletin-totals",
    "#bulletin-places",
    "#bulletin-units",
    "#bulletin-households",
    "#bulletin-payments",
)


def _pick(page: Page, region_name: str, period_slug: str) -> None:
    page.goto("/oversight/")
    filters = page.locator("#oversight-filters")
    filters.locator("#region").select_option(label=region_name)
    filters.locator("#period").fill(period_slug)
    filters.get_by_role("button", name="查看").click()
    expect(page.locator("h1")).to_contain_text(region_name)


def _see_the_overview(page: Page, *, counted: str, money: str, zhashui_unit: str) -> None:
    """Shaanxi in October on the overview: the totals, the units ranked, the
    units behind and the money by city. The charts and the map (drawn from
    these same figures) get their assertions here as well."""
    totals = page.locator("#oversight-totals")
    expect(totals).to_contain_text(counted)
    expect(totals).to_contain_text(money)
    units = page.locator("#oversight-units")
    expect(units.locator("tr", has_text="柞水县农业农村局")).to_contain_text(zhashui_unit)
    expect(units.locator("tr", has_text="紫阳县中学")).to_contain_text("91.5%")
    expect(page.locator("#oversight-behind")).to_contain_text("柞水县农业农村局")
    expect(page.locator("#oversight-behind")).not_to_contain_text("紫阳县中学")
    places = page.locator("#oversight-places")
    expect(places).to_contain_text("商洛市")
    expect(places).to_contain_text("安康市")
    # The charts drawn from the same figures: the province's county map, the
    # trend against last year, the channel shares and the units' ranking.
    for chart in ("#chart-map", "#chart-trend", "#chart-channels", "#chart-ranking"):
        expect(page.locator(f"{chart} svg path").first).to_be_attached()


def _download(page: Page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    return Path(info.value.path()).read_bytes()


def _pdf_text(content: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def _xlsx_cells(content: bytes) -> dict:
    workbook = load_workbook(io.BytesIO(content))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }


def _bulletin_text(page: Page) -> dict:
    return {section: page.locator(section).inner_text() for section in BULLETIN_SECTIONS}


def test_a_province_office_publishes_october_and_late_records_leave_it_unchanged(
    page: Page, programme
):
    shaanxi = programme["zhashui"].province
    producer = programme["producer_a"]
    office = ProgrammeOfficeFactory(region=shaanxi).user
    sign_in(page, office)

    # The province and October: totals beside the previous period, rankings, places.
    _pick(page, "陕西省", OCTOBER.slug)
    _see_the_overview(page, counted="¥1,696.50", money="¥2,576.80", zhashui_unit="59.9%")

    # The month's accepted contracts as open data (OCDS): the two Shaanxi contracts.
    with page.expect_download() as info:
        page.locator("#oversight-open-data-link").click()
    package = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert package["version"] == "1.1" and len(package["releases"]) == 2

    # Drill down: a city, then a county and its producers.
    page.locator("#oversight-places").get_by_role("link", name="商洛市").click()
    expect(page.locator("h1")).to_contain_text("商洛市")
    page.locator("#oversight-places").get_by_role("link", name="柞水县").click()
    producers = page.locator("#oversight-producers")
    expect(producers.locator("tr", has_text=producer.name)).to_contain_text("¥1,276.80")

    # And a unit of the province.
    _pick(page, "陕西省", OCTOBER.slug)
    page.locator("#oversight-units").get_by_role("link", name="柞水县农业农村局").click()
    expect(page.locator("#unit-progress [data-figure=counted]")).to_have_text("¥598.50")

    # The monthly bulletin: generated off the request, then commented and published.
    page.goto("/oversight/bulletins/")
    form = page.locator("#bulletin-form")
    form.locator('input[name="region_code"]').fill(shaanxi.code)
    form.locator('input[name="period"]').fill(OCTOBER.slug)
    form.get_by_role("button", name="生成通报").click()
    expect(page.locator("#bulletin-summary")).to_contain_text(
        "截至10月底，全省预算单位完成采购0.17万元，占年度目标77.1%"
    )
    page.locator("#id_commentary").fill(COMMENTARY)
    page.get_by_role("button", name="保存评述").click()
    expect(page.locator(".alert-success")).to_contain_text("评述已保存")
    page.get_by_role("button", name="发布通报").click()
    expect(page.locator("#bulletin-state")).to_contain_text("已发布")
    expect(page.locator("#bulletin-commentary")).to_have_count(0)
    october = Bulletin.objects.get(period_key=OCTOBER.slug)
    assert october.is_published and october.commentary == COMMENTARY
    october_url = page.url

    published_page = _bulletin_text(page)
    assert COMMENTARY in published_page["#bulletin-summary"]
    pdf = _download(page, "下载 PDF")
    xlsx = _download(page, "下载 XLSX")
    pdf_text = _pdf_text(pdf)
    assert f"陕西省{YEAR}年10月消费帮扶通报" in pdf_text
    assert "全省预算单位完成采购0.17万元" in pdf_text and COMMENTARY in pdf_text
    cells = _xlsx_cells(xlsx)
    assert cells["总体情况"][1][:2] == ["预算单位累计采购（元）", Decimal("1696.5")]
    assert [COMMENTARY] in cells["综述"]

    # A contract accepted on 25 October, recorded after publication.
    u1 = programme["units"][0]
    product = programme["october_a"].lines.get().product
    contract_in_state(
        u1, product, 3, ContractStatus.ACCEPTED, accepted_on=datetime.date(YEAR, 10, 25)
    )

    page.goto(october_url)
    assert _bulletin_text(page) == published_page
    assert _pdf_text(_download(page, "下载 PDF")) == pdf_text
    assert _xlsx_cells(_download(page, "下载 XLSX")) == cells

    # A fresh October figure shows the late contract (3 × 39.90 more).
    _pick(page, "陕西省", OCTOBER.slug)
    _see_the_overview(page, counted="¥1,816.20", money="¥2,696.50", zhashui_unit="71.8%")

    # November's bulletin names the correction.
    page.goto("/oversight/bulletins/")
    form.locator('input[name="region_code"]').fill(shaanxi.code)
    form.locator('input[name="period"]').fill(NOVEMBER.slug)
    form.get_by_role("button", name="生成通报").click()
    expect(page.locator("#bulletin-correction")).to_contain_text(
        f"更正说明：因补录数据，{YEAR}年10月预算单位完成采购由1696.50元更正为1816.20元"
    )
    november = Bulletin.objects.get(period_key=NOVEMBER.slug)
    assert november.supersedes == october
