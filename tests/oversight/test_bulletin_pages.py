"""The bulletin pages and downloads: who may open what (the region access
matrix), generating and publishing through the pages, bad input, the XLSX
sheets, the PDF's text and embedded font, and query counts."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from oversight import services
from oversight.models import Bulletin
from oversight.periods import period_parse
from tests.factories import StaffUserFactory, UserFactory, county
from tests.factories.oversight import ProgrammeOfficeFactory
from tests.factories.procurement import Team
from tests.support.oversight import OCTOBER, YEAR

pytestmark = pytest.mark.django_db


def _ready(region, period=OCTOBER, actor=None):
    bulletin = Bulletin.objects.create(
        region=region, period_kind=period.kind, period_key=period.slug, requested_by=actor
    )
    return services.bulletin_generate(bulletin_id=bulletin.pk)


@pytest.fixture
def places():
    return {"zhashui": county("611026"), "ziyang": county("610924"), "chaoyang": county("110105")}


def test_bulletin_access_matrix(client, places):
    shaanxi = places["zhashui"].province
    shaanxi_bulletin = _ready(shaanxi)
    beijing_bulletin = _ready(places["chaoyang"].province)
    national_bulletin = _ready(None)
    urls = {"archive": reverse("oversight:bulletins")}
    for name, bulletin in (
        ("shaanxi", shaanxi_bulletin),
        ("beijing", beijing_bulletin),
        ("national", national_bulletin),
    ):
        urls[name] = reverse("oversight:bulletin", args=[bulletin.pk])
        urls[f"{name}_status"] = reverse("oversight:bulletin-status", args=[bulletin.pk])
        urls[f"{name}_xlsx"] = reverse("oversight:bulletin-download", args=[bulletin.pk, "xlsx"])
    everyone_403 = dict.fromkeys(urls, 403)
    visible = {"archive": 200}

    def only(*names):
        return {
            name: 200 if name == "archive" or name.split("_")[0] in names else 404 for name in urls
        }

    expected = {
        "consumer": (UserFactory(), everyone_403),
        "unit user": (Team(region=places["zhashui"]).admin, everyone_403),
        "county office below": (ProgrammeOfficeFactory(region=places["ziyang"]).user, only()),
        "province office": (ProgrammeOfficeFactory(region=shaanxi).user, only("shaanxi")),
        "other province's office": (
            ProgrammeOfficeFactory(region=places["chaoyang"].province).user,
            only("beijing"),
        ),
        "national office": (
            ProgrammeOfficeFactory(region=None).user,
            {**visible, **dict.fromkeys(urls, 200)},
        ),
        "platform staff": (StaffUserFactory(), dict.fromkeys(urls, 200)),
    }
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], name
    for who, (user, statuses) in expected.items():
        client.force_login(user)
        seen = {name: client.get(url).status_code for name, url in urls.items()}
        assert seen == statuses, who


def test_the_archive_lists_only_the_visible_regions_bulletins(client, places):
    _ready(places["zhashui"])
    _ready(places["chaoyang"])
    client.force_login(ProgrammeOfficeFactory(region=places["zhashui"].province).user)
    body = client.get(reverse("oversight:bulletins")).content.decode()
    assert "柞水县" in body and "朝阳区" not in body


def test_an_office_generates_edits_and_publishes_through_the_pages(
    client, places, django_capture_on_commit_callbacks
):
    shaanxi = places["zhashui"].province
    office = ProgrammeOfficeFactory(region=shaanxi).user
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("oversight:bulletins"), {"region_code": "610000", "period": OCTOBER.slug}
        )
    bulletin = Bulletin.objects.get()
    assert response["Location"] == reverse("oversight:bulletin", args=[bulletin.pk])
    assert bulletin.generation == Bulletin.Generation.DONE and bulletin.region == shaanxi
    status = client.get(reverse("oversight:bulletin-status", args=[bulletin.pk])).json()
    assert status["ready"] and status["status"] == "draft"

    url = reverse("oversight:bulletin", args=[bulletin.pk])
    page = client.get(url).content.decode()
    assert "截至10月底，全省预算单位完成采购" in page
    client.post(url, {"commentary": "请各市加快进度。", "publish": "1"})
    bulletin.refresh_from_db()
    assert bulletin.is_published and bulletin.published_by == office
    assert bulletin.commentary == "请各市加快进度。"

    refused = client.post(url, {"commentary": "改写"}, follow=True)
    assert "该通报已发布，内容不能再修改" in refused.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.commentary == "请各市加快进度。"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"region_code": "110000", "period": "2025-10"}, "您无权查看该地区的数据。"),
        ({"region_code": "", "period": "2025-10"}, "您无权查看该地区的数据。"),
        ({"region_code": "999999", "period": "2025-10"}, "没有代码为 999999 的行政区划。"),
        ({"region_code": "610000", "period": "2025-13"}, "无法识别统计期间"),
        ({"region_code": "610000", "period": "十月"}, "无法识别统计期间“十月”"),
    ],
)
def test_bad_bulletin_requests_are_refused_in_chinese_and_create_nothing(
    client, places, data, error
):
    client.force_login(ProgrammeOfficeFactory(region=places["zhashui"].province).user)
    response = client.post(reverse("oversight:bulletins"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Bulletin.objects.exists()


def test_a_bulletin_still_generating_shows_its_progress_and_offers_no_download(client):
    bulletin = Bulletin.objects.create(region=None, period_kind="month", period_key=OCTOBER.slug)
    client.force_login(StaffUserFactory())
    page = client.get(reverse("oversight:bulletin", args=[bulletin.pk])).content.decode()
    assert "通报数据正在生成" in page and 'http-equiv="refresh"' in page
    download = reverse("oversight:bulletin-download", args=[bulletin.pk, "pdf"])
    assert client.get(download).status_code == 404
    ready = _ready(None)
    for fmt in ("doc", "XLSX", "pdf.exe"):
        unknown = reverse("oversight:bulletin-download", args=[ready.pk, fmt])
        assert client.get(unknown).status_code == 404, fmt


def test_bulletin_xlsx_has_a_sheet_per_section_with_the_frozen_figures(client, programme):
    bulletin = _ready(None)
    services.bulletin_commentary_save(bulletin=bulletin, commentary="=SUM(A1)")
    client.force_login(StaffUserFactory())
    response = client.get(reverse("oversight:bulletin-download", args=[bulletin.pk, "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "综述", "总体情况", "销售去向", "销售额趋势", "单位进度排名", "进度落后单位",
        "逾期未报送计划", "联农带农", "账款支付", "结对帮扶采购", "价格监测",
    ]  # fmt: skip
    summary = [row[0] for row in workbook["综述"].iter_rows(min_row=3, values_only=True)]
    assert summary[0].startswith("截至10月底，全国预算单位完成采购0.17万元")
    assert summary[-1] == "=SUM(A1)"  # text, not a formula
    assert workbook["综述"].cell(row=summary.index("=SUM(A1)") + 3, column=1).data_type == "s"
    totals = list(workbook["总体情况"].iter_rows(min_row=2, values_only=True))
    assert totals[0] == ("预算单位累计采购（元）", Decimal("1696.5"), Decimal("199.5"), 0)
    places_rows = list(workbook["销售去向"].iter_rows(min_row=2, values_only=True))
    assert places_rows == [("陕西省", None, 79.8, 1197, 300, 1000, 2576.8)]
    behind = [row[2] for row in workbook["进度落后单位"].iter_rows(min_row=2, values_only=True)]
    assert behind == ["朝阳区某局", "柞水县农业农村局"]


def test_bulletin_pdf_has_the_chinese_text_a_figure_and_an_embedded_font(client, programme):
    bulletin = _ready(None)
    client.force_login(StaffUserFactory())
    response = client.get(reverse("oversight:bulletin-download", args=[bulletin.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert f"全国{YEAR}年10月消费帮扶通报" in text
    assert "全国预算单位完成采购0.17万元" in text
    assert "1696.50" in text and "柞水县农业农村局" in text
    assert _embedded_fonts(reader)


def _embedded_fonts(reader) -> list[str]:
    names = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for part in font.get("/DescendantFonts", [font]):
                descriptor = part.get_object().get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.append(str(descriptor["/FontName"]))
    return names


def test_bulletin_pages_query_counts_stay_put(client, places, django_assert_max_num_queries):
    for month in range(1, 4):
        _ready(places["zhashui"], period=period_parse(f"{YEAR}-{month:02d}"))
    staff = StaffUserFactory()
    client.force_login(staff)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("oversight:bulletins")).status_code == 200
    for month in range(4, 10):
        _ready(places["ziyang"], period=period_parse(f"{YEAR}-{month:02d}"))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("oversight:bulletins")).status_code == 200
    bulletin = Bulletin.objects.first()
    with django_assert_max_num_queries(8):
        assert client.get(reverse("oversight:bulletin", args=[bulletin.pk])).status_code == 200
