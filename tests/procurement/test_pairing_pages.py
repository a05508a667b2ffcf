"""Pairings: the XLSX import (all or nothing, a clear message per problem) and
the staff pages (staff only, constant queries)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from procurement.exceptions import PairingImportRejected, ProcurementStaffOnly
from procurement.importers import PairingImporter
from procurement.models import Pairing
from tests.factories import StaffUserFactory, UserFactory, county, table_xlsx
from tests.factories.procurement import BuyerOrganisationFactory, PairingFactory

pytestmark = pytest.mark.django_db

HEADERS = [
    "结对类型",
    "结对名称",
    "帮扶单位信用代码",
    "帮扶地区代码",
    "受帮扶县代码",
    "开始日期",
    "结束日期",
]


def xlsx_upload(rows, headers=HEADERS, name="结对.xlsx"):
    return SimpleUploadedFile(name, table_xlsx(headers, rows))


@pytest.fixture
def places():
    return county("611026"), county("610924"), county("320106")


def rejected(rows, **kwargs):
    with pytest.raises(PairingImportRejected) as refused:
        PairingImporter(actor=StaffUserFactory()).import_file(xlsx_upload(rows, **kwargs))
    return refused.value.errors


def test_a_good_file_creates_every_pairing(places):
    unit = BuyerOrganisationFactory()
    imported = PairingImporter(actor=StaffUserFactory()).import_file(
        xlsx_upload(
            [
                ["东西部协作", "苏陕协作·南京", "", "320000", "611026、610924", "2026-01-01", ""],
                [
                    "定点帮扶",
                    "某局定点帮扶柞水",
                    unit.uscc,
                    "",
                    "611026",
                    datetime.date(2026, 3, 1),
                    "2026/12/31",
                ],
            ]
        )
    )
    assert len(imported) == 2
    east_west = Pairing.objects.get(name="苏陕协作·南京")
    assert east_west.helper_region.code == "320000" and east_west.ends_on is None
    assert sorted(east_west.helped_counties.values_list("code", flat=True)) == ["610924", "611026"]
    designated = Pairing.objects.get(name="某局定点帮扶柞水")
    assert designated.helper_unit == unit
    assert designated.starts_on == datetime.date(2026, 3, 1)
    assert designated.ends_on == datetime.date(2026, 12, 31)


def test_bad_rows_are_each_reported_and_nothing_is_imported(places):
    errors = rejected(
        [
            ["东西部协作", "好的一行", "", "320000", "611026", "2026-01-01", ""],
            ["扶贫", "类型不对", "", "320000", "611026", "2026-01-01", ""],
            ["定点帮扶", "两个帮扶方", "X", "320000", "611026", "2026-01-01", ""],
            ["定点帮扶", "不是县", "", "320000", "610000", "2026-01-01", ""],
            ["定点帮扶", "日期颠倒", "", "320000", "611026", "2026-05-01", "2026-04-01"],
            ["定点帮扶", "日期不对", "", "320000", "611026", "明年", ""],
            ["定点帮扶", "", "", "320000", "611026", "2026-01-01", ""],
        ]
    )
    assert [(e.row, e.code) for e in errors] == [
        (3, "table_choice_unknown"),
        (4, "pairing_helper_not_one"),
        (5, "pairing_county_not_county"),
        (6, "pairing_dates_reversed"),
        (7, "table_date_invalid"),
        (8, "table_value_required"),
    ]
    assert "不是县级行政区划" in errors[2].message
    assert not Pairing.objects.exists()


def test_a_missing_column_is_reported(places):
    errors = rejected([["东西部协作", "x"]], headers=["结对类型", "结对名称"])
    assert {e.code for e in errors} == {"column_missing"}
    assert not Pairing.objects.exists()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"PK\x03\x04not really a zip", "file_unreadable"),
        (b"", "file_empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "file_xls_unsupported"),
    ],
)
def test_a_malformed_upload_gets_a_clear_message_and_changes_nothing(content, code):
    with pytest.raises(PairingImportRejected) as refused:
        PairingImporter(actor=StaffUserFactory()).import_file(
            SimpleUploadedFile("结对.xlsx", content)
        )
    assert [e.code for e in refused.value.errors] == [code]
    assert refused.value.errors[0].message
    assert not Pairing.objects.exists()


def test_an_oversized_upload_is_refused_before_it_is_read(client):
    client.force_login(StaffUserFactory())
    big = SimpleUploadedFile("结对.xlsx", b"PK\x03\x04" + b"\x00" * (5 * 1024 * 1024 + 1))
    response = client.post(reverse("procurement:pairing-import"), {"file": big})
    assert response.status_code == 200
    assert "文件不能超过 5 MB" in response.content.decode()
    assert not Pairing.objects.exists()


def test_only_staff_may_import():
    with pytest.raises(ProcurementStaffOnly):
        PairingImporter(actor=UserFactory()).import_file(xlsx_upload([]))


PAGES = ["procurement:pairings", "procurement:pairing-new", "procurement:pairing-import"]


def test_pairing_pages_are_for_staff_only(client):
    pairing = PairingFactory()
    urls = [reverse(name) for name in PAGES] + [
        reverse("procurement:pairing-detail", args=[pairing.pk]),
        reverse("procurement:pairing-edit", args=[pairing.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(reverse("procurement:pairing-end", args=[pairing.pk])).status_code == 403
    pairing.refresh_from_db()
    assert pairing.ends_on is None


def test_staff_add_a_pairing_on_the_page_and_bad_input_changes_nothing(client, places):
    client.force_login(StaffUserFactory())
    url = reverse("procurement:pairing-new")
    data = {
        "kind": "east_west",
        "name": "苏陕协作·南京",
        "helper_unit_uscc": "",
        "helper_region_code": "320000",
        "county_codes": "611026 610000",
        "starts_on": "2026-01-01",
        "ends_on": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "不是县级行政区划" in response.content.decode()
    assert not Pairing.objects.exists()
    response = client.post(url, {**data, "county_codes": "611026、610924"})
    pairing = Pairing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("procurement:pairing-detail", args=[pairing.pk])
    response = client.post(reverse("procurement:pairing-end", args=[pairing.pk]))
    pairing.refresh_from_db()
    assert pairing.ends_on is not None


def test_the_pairings_list_costs_the_same_queries_however_many_pairings(
    client, places, django_assert_max_num_queries
):
    client.force_login(StaffUserFactory())
    for _ in range(3):
        PairingFactory(helped_counties=list(places[:2]))
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("procurement:pairings")).status_code == 200
    for _ in range(10):
        PairingFactory(helped_counties=list(places[:2]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(
            reverse("procurement:pairings"), {"date_from": "2026-01-01", "date_to": "2026-12-31"}
        )
    assert response.status_code == 200
    assert response.content.decode().count(str(Decimal("0.00"))) >= 13
    pairing = Pairing.objects.first()
    with django_assert_max_num_queries(20):
        assert (
            client.get(reverse("procurement:pairing-detail", args=[pairing.pk])).status_code == 200
        )
