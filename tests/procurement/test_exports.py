"""Exports from a unit's own pages (annual filing report, contract list) and a
producer's workspace (sales by channel) as XLSX and PDF: contents, who may
download what, bad input, query counts."""

import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from procurement.models import ContractStatus
from tests.factories import (
    ProducerFactory,
    StaffUserFactory,
    UserFactory,
    county,
    place_order,
    product_with_stock,
)
from tests.factories.procurement import AnnualPlanFactory, Team, contract_in_state, producer_user

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1


@pytest.fixture
def world():
    zhashui = county("611026")
    product = product_with_stock(stock=500, producer=ProducerFactory(county=zhashui))
    seller = producer_user(product.producer)
    team = Team(region=zhashui, name="柞水县农业农村局")
    AnnualPlanFactory(organisation=team.organisation, year=YEAR, canteen_budget=Decimal("10000"))
    contract_in_state(
        team, product, 10, ContractStatus.ACCEPTED, seller=seller,
        accepted_on=datetime.date(YEAR, 3, 15),
    )  # fmt: skip
    contract_in_state(
        team, product, 5, ContractStatus.ACCEPTED, seller=seller,
        accepted_on=datetime.date(YEAR, 10, 2),
    )  # fmt: skip
    contract_in_state(team, product, 2, ContractStatus.CONFIRMED, seller=seller)  # pending
    order = place_order(product)  # 2 × 39.90
    type(order).objects.filter(pk=order.pk).update(
        status=settings.ORDER_STATUS_PAID,
        # 23:30 on 31 May in Beijing: a May sale (15:30 UTC).
        date_placed=timezone.make_aware(datetime.datetime(YEAR, 5, 31, 23, 30)),
    )
    return {"team": team, "producer": product.producer, "seller": seller, "zhashui": zhashui}


def _rows(sheet, min_row):
    """The sheet's rows with numbers as Decimals (openpyxl reads floats)."""
    return [
        tuple(Decimal(str(v)) if isinstance(v, float) else v for v in row)
        for row in sheet.iter_rows(min_row=min_row, values_only=True)
    ]


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def _pdf_text(content: bytes) -> tuple[str, bool]:
    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    embedded = False
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for part in font.get("/DescendantFonts", [font]):
                descriptor = part.get_object().get("/FontDescriptor")
                if descriptor is not None and "/FontFile3" in descriptor.get_object():
                    embedded = True
                elif descriptor is not None and "/FontFile2" in descriptor.get_object():
                    embedded = True
    return text, embedded


def test_unit_annual_report_xlsx_and_pdf(client, world):
    team = world["team"]
    url = reverse("procurement:unit-report", args=[team.organisation.pk, YEAR, "xlsx"])
    workbook = load_workbook(io.BytesIO(_get(client, team.purchaser, url).content))
    assert workbook.sheetnames == ["执行情况", "按月", "计入合同"]
    summary = dict(_rows(workbook["执行情况"], 3))
    assert summary["年度目标（元）"] == 1000
    assert summary["已完成（元）"] == Decimal("598.50")  # 15 × 39.90
    assert summary["完成比例（%）"] == Decimal("59.9")
    # The confirmed contract was ordered this year: it is pending in this year's report.
    assert summary["在途（已下单未验收）（元）"] == 0
    this_year = reverse("procurement:unit-report", args=[team.organisation.pk, YEAR + 1, "xlsx"])
    now = dict(_rows(load_workbook(io.BytesIO(client.get(this_year).content))["执行情况"], 3))
    assert now["在途（已下单未验收）（元）"] == Decimal("79.80")
    months = _rows(workbook["按月"], 2)
    assert months[2] == ("3月", Decimal("399.00"), Decimal("399.00"))
    assert months[9] == ("10月", Decimal("199.50"), Decimal("598.50"))
    contracts = _rows(workbook["计入合同"], 2)
    assert [row[4] for row in contracts] == [Decimal("399.00"), Decimal("199.50")]

    pdf = _get(client, team.purchaser, url.replace(".xlsx", ".pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    text, embedded = _pdf_text(pdf.content)
    assert f"柞水县农业农村局 {YEAR}年度预留份额执行情况" in text
    assert "598.50" in text and embedded


def test_unit_contract_list_xlsx_and_pdf(client, world):
    team = world["team"]
    url = reverse("procurement:contracts-download", args=[team.organisation.pk, "xlsx"])
    workbook = load_workbook(io.BytesIO(_get(client, team.admin, url).content))
    rows = list(workbook["合同清单"].iter_rows(min_row=3, values_only=True))
    assert sorted(row[2] for row in rows) == ["已确认", "已验收", "已验收"]
    text, embedded = _pdf_text(_get(client, team.admin, url.replace(".xlsx", ".pdf")).content)
    assert "柞水县农业农村局 合同清单" in text and embedded


def test_producer_sales_by_channel_xlsx_and_pdf(client, world):
    url = reverse("procurement:supplier-sales", args=[world["producer"].pk, YEAR, "xlsx"])
    workbook = load_workbook(io.BytesIO(_get(client, world["seller"], url).content))
    rows = _rows(workbook["按渠道销售"], 3)
    assert rows[2] == ("3月", 0, Decimal("399.00"), Decimal("399.00"))
    assert rows[4] == ("5月", Decimal("79.80"), 0, Decimal("79.80"))
    assert rows[-1] == ("合计", Decimal("79.80"), Decimal("598.50"), Decimal("678.30"))
    text, embedded = _pdf_text(_get(client, world["seller"], url.replace(".xlsx", ".pdf")).content)
    assert f"{YEAR}年销售情况（按渠道）" in text and "678.30" in text and embedded


def test_export_access_matrix(client, world):
    team, producer = world["team"], world["producer"]
    other_team = Team(region=world["zhashui"], name="别的单位")
    other_seller = producer_user(ProducerFactory())
    urls = {
        "report": reverse("procurement:unit-report", args=[team.organisation.pk, YEAR, "xlsx"]),
        "contracts": reverse("procurement:contracts-download", args=[team.organisation.pk, "pdf"]),
        "sales": reverse("procurement:supplier-sales", args=[producer.pk, YEAR, "xlsx"]),
    }
    expected = {
        "consumer": (UserFactory(), {"report": 404, "contracts": 404, "sales": 404}),
        "unit member": (team.purchaser, {"report": 200, "contracts": 200, "sales": 404}),
        "other unit's member": (other_team.admin, {"report": 404, "contracts": 404, "sales": 404}),
        "producer user": (world["seller"], {"report": 404, "contracts": 404, "sales": 200}),
        "other producer's user": (other_seller, {"report": 404, "contracts": 404, "sales": 404}),
        "platform staff": (StaffUserFactory(), {"report": 200, "contracts": 200, "sales": 200}),
    }
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], name
    for who, (user, statuses) in expected.items():
        client.force_login(user)
        assert {name: client.get(url).status_code for name, url in urls.items()} == statuses, who


@pytest.mark.parametrize("tail", ["doc", "XLSX", "pdf.exe"])
def test_an_unknown_format_or_year_is_a_404(client, world, tail):
    team = world["team"]
    client.force_login(team.purchaser)
    base = reverse("procurement:unit-report", args=[team.organisation.pk, YEAR, "xlsx"])
    assert client.get(base.replace("xlsx", tail)).status_code == 404
    far = reverse("procurement:unit-report", args=[team.organisation.pk, 1900, "xlsx"])
    assert client.get(far).status_code == 404


def test_export_query_counts_do_not_grow_with_contracts(
    client, world, django_assert_max_num_queries
):
    seller, team = world["seller"], world["team"]
    url = reverse("procurement:supplier-sales", args=[world["producer"].pk, YEAR, "xlsx"])
    report = reverse("procurement:unit-report", args=[team.organisation.pk, YEAR, "xlsx"])
    client.force_login(seller)
    with django_assert_max_num_queries(8):
        client.get(url)
    product = world["producer"].partner.stockrecords.first().product
    for day in (4, 5, 6):
        contract_in_state(
            team, product, 1, ContractStatus.ACCEPTED, seller=seller,
            accepted_on=datetime.date(YEAR, 6, day),
        )  # fmt: skip
    with django_assert_max_num_queries(8):
        client.get(url)
    client.force_login(team.purchaser)
    with django_assert_max_num_queries(20):
        assert client.get(report).status_code == 200
