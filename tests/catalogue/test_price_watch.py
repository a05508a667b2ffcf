"""The price watch (价格监测): reference market prices, the rule that finds the
applicable one and flags a listing, the import, and where the flag shows:
the staff page, the producer's workspace and the agency's order page."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from oscar.core.loading import get_model

from catalogue.exceptions import (
    ReferencePriceDateInFuture,
    ReferencePriceFieldRequired,
    ReferencePriceFieldTooLong,
    ReferencePriceImportRejected,
    ReferencePriceNotPositive,
    ReferencePriceRegionNotProvince,
    ReferencePriceStaffOnly,
)
from catalogue.price_importer import ReferencePriceImporter
from catalogue.rules import price_is_flagged, reference_price_check
from catalogue.selectors import flagged_listings, with_reference_prices
from tests.factories import (
    CategoryFactory,
    ReferencePriceFactory,
    StaffUserFactory,
    UserFactory,
    county,
    multi_spec_product,
    product_with_stock,
    table_xlsx,
)
from tests.factories.procurement import Team, draft_order, producer_user

pytestmark = pytest.mark.django_db

ReferencePrice = get_model("catalogue", "ReferencePrice")


@pytest.fixture
def world():
    zhashui, nanjing = county("611026"), county("320106")
    shaanxi, jiangsu = zhashui.parent.parent, nanjing.parent.parent
    dried = CategoryFactory(name="干货")
    fungus = dried.add_child(name="木耳")
    tea = CategoryFactory(name="茶叶")
    ReferencePriceFactory(category=dried, price=Decimal("30.00"))
    ReferencePriceFactory(
        category=dried,
        region=shaanxi,
        price=Decimal("33.00"),
        observed_on=datetime.date(2026, 5, 1),
    )
    ReferencePriceFactory(
        category=dried,
        region=shaanxi,
        price=Decimal("32.00"),
        observed_on=datetime.date(2026, 4, 1),
    )
    ReferencePriceFactory(category=fungus, price=Decimal("20.00"))
    return {
        "shaanxi": shaanxi,
        "jiangsu": jiangsu,
        # Shaanxi's own reference for 干货 (¥33.00, the latest) applies: ≤ ¥39.60 passes.
        "shaanxi_high": product_with_stock(price=Decimal("39.90"), categories=[fungus]),
        "shaanxi_fair": product_with_stock(price=Decimal("39.60"), categories=[fungus]),
        # No Jiangsu reference: the nationwide one of the deepest category, 木耳's ¥20.00.
        "jiangsu_high": product_with_stock(
            price=Decimal("39.90"), categories=[fungus], origin_county=nanjing
        ),
        "no_reference": product_with_stock(price=Decimal("999.00"), categories=[tea]),
        "variants": multi_spec_product(
            specs=(("250g", Decimal("39.00")), ("500g", Decimal("72.00"))), categories=[fungus]
        ),
    }


def flagged_titles(**kwargs):
    return sorted(record.product.get_title() for record in flagged_listings(**kwargs))


def test_the_most_specific_latest_reference_applies_and_flags_above_the_margin(world):
    records = {r.product_id: r for r in with_reference_prices(flagged_listings())}
    high = records[world["shaanxi_high"].pk]
    assert high.reference.price == Decimal("33.00")
    assert high.percent_above == Decimal("20.9")
    assert records[world["jiangsu_high"].pk].reference.price == Decimal("20.00")
    assert records[world["jiangsu_high"].pk].percent_above == Decimal("99.5")
    variant_prices = sorted(
        r.price for r in records.values() if r.product.parent_id == world["variants"].pk
    )
    assert variant_prices == [Decimal("72.00")]
    assert world["shaanxi_fair"].pk not in records
    assert world["no_reference"].pk not in records
    assert len(records) == 3


def test_flagged_listings_for_a_region_are_those_originating_in_it(world):
    shaanxi = flagged_listings(region=world["shaanxi"])
    assert {r.product_id for r in shaanxi} == {
        world["shaanxi_high"].pk,
        *world["variants"]
        .children.filter(stockrecords__price=Decimal("72.00"))
        .values_list("pk", flat=True),
    }
    assert [r.product_id for r in flagged_listings(region=world["jiangsu"])] == [
        world["jiangsu_high"].pk
    ]


def test_the_margin_is_configuration(world, settings):
    settings.PRICE_WATCH_MARGIN = Decimal("0.50")
    # ¥39.90 is now within 50% of Shaanxi's ¥33.00 but not of 木耳's ¥20.00; ¥72.00 still is not.
    assert sorted((r.product_id, r.price) for r in flagged_listings()) == sorted(
        [
            (world["jiangsu_high"].pk, Decimal("39.90")),
            (world["variants"].children.get(stockrecords__price=72).pk, Decimal("72.00")),
        ]
    )
    assert not price_is_flagged(Decimal("49.50"), Decimal("33.00"))
    assert price_is_flagged(Decimal("49.51"), Decimal("33.00"))


def test_the_rule_for_one_price_agrees_at_the_boundary():
    assert not price_is_flagged(Decimal("39.60"), Decimal("33.00"))
    assert price_is_flagged(Decimal("39.61"), Decimal("33.00"))
    assert not price_is_flagged(Decimal("1000"), None)


def test_a_reference_price_is_above_zero_in_the_database():
    reference = ReferencePriceFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        ReferencePrice.objects.filter(pk=reference.pk).update(price=Decimal("0"))


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"price": Decimal("0")}, ReferencePriceNotPositive),
        ({"price": Decimal("-1")}, ReferencePriceNotPositive),
        ({"region": "county"}, ReferencePriceRegionNotProvince),
        ({"unit": " "}, ReferencePriceFieldRequired),
        ({"source": "来" * 129}, ReferencePriceFieldTooLong),
        ({"observed_on": datetime.date(2999, 1, 1)}, ReferencePriceDateInFuture),
    ],
)
def test_reference_price_rules_refuse_with_their_code(overrides, error):
    values = {
        "category": CategoryFactory(),
        "region": None,
        "price": Decimal("30"),
        "unit": "斤",
        "source": "市场零售价",
        "observed_on": datetime.date(2026, 6, 1),
    }
    values.update(overrides)
    if values["region"] == "county":
        values["region"] = county("611026")
    with pytest.raises(error) as refused:
        reference_price_check(**values)
    assert refused.value.code == error.code


# --- import ------------------------------------------------------------------------

HEADERS = ["商品品类", "适用省份代码", "参考价（元）", "计价单位", "价格来源", "采价日期"]


def xlsx_upload(rows, headers=HEADERS):
    return SimpleUploadedFile("参考价.xlsx", table_xlsx(headers, rows))


def test_a_good_file_records_every_reference_price():
    county("611026")
    dried = CategoryFactory(name="干货")
    dried.add_child(name="木耳")
    imported = ReferencePriceImporter(actor=StaffUserFactory()).import_file(
        xlsx_upload(
            [
                ["干货>木耳", "610000", "¥36.50", "250g", "西安市场零售价", "2026-05-01"],
                ["干货", "", 30, "250g", "全国监测价", datetime.date(2026, 6, 1)],
            ]
        )
    )
    assert [(r.category.name, r.region_id is None, r.price) for r in imported] == [
        ("木耳", False, Decimal("36.50")),
        ("干货", True, Decimal("30.00")),
    ]


def test_bad_rows_are_each_reported_and_nothing_is_recorded():
    county("611026")
    CategoryFactory(name="干货")
    with pytest.raises(ReferencePriceImportRejected) as refused:
        ReferencePriceImporter(actor=StaffUserFactory()).import_file(
            xlsx_upload(
                [
                    ["干货", "", "30", "250g", "全国监测价", "2026-06-01"],
                    ["海鲜", "", "30", "250g", "全国监测价", "2026-06-01"],
                    ["干货", "611026", "30", "250g", "全国监测价", "2026-06-01"],
                    ["干货", "", "三十", "250g", "全国监测价", "2026-06-01"],
                    ["干货", "", "0", "250g", "全国监测价", "2026-06-01"],
                    ["干货", "", "30", "250g", "全国监测价", "昨天"],
                    ["干货", "", "30", "", "全国监测价", "2026-06-01"],
                ]
            )
        )
    assert [(e.row, e.code) for e in refused.value.errors] == [
        (3, "reference_price_category_not_found"),
        (4, "reference_price_region_not_province"),
        (5, "table_price_invalid"),
        (6, "reference_price_not_positive"),
        (7, "table_date_invalid"),
        (8, "table_value_required"),
    ]
    assert not ReferencePrice.objects.exists()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"PK\x03\x04broken", "file_unreadable"),
        (b"   ", "file_empty"),
        (b"%PDF-1.4 not a table", "file_wrong_kind"),
    ],
)
def test_a_malformed_file_gets_a_clear_message_and_changes_nothing(content, code):
    with pytest.raises(ReferencePriceImportRejected) as refused:
        ReferencePriceImporter(actor=StaffUserFactory()).import_file(
            SimpleUploadedFile("参考价.xlsx", content)
        )
    assert [e.code for e in refused.value.errors] == [code]
    assert not ReferencePrice.objects.exists()


def test_an_oversized_upload_is_refused_on_the_page(client):
    client.force_login(StaffUserFactory())
    big = SimpleUploadedFile("参考价.xlsx", b"PK\x03\x04" + b"\x00" * (5 * 1024 * 1024 + 1))
    response = client.post(reverse("catalogue:price-watch-import"), {"file": big})
    assert response.status_code == 200
    assert "文件不能超过 5 MB" in response.content.decode()
    assert not ReferencePrice.objects.exists()


def test_only_staff_record_reference_prices():
    with pytest.raises(ReferencePriceStaffOnly):
        ReferencePriceImporter(actor=UserFactory()).import_file(xlsx_upload([]))


# --- pages ---------------------------------------------------------------------------


def test_the_price_watch_pages_are_for_staff_only(client):
    urls = [reverse("catalogue:price-watch"), reverse("catalogue:price-watch-import")]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    for url in urls:
        assert client.get(url).status_code == 403
    response = client.post(
        urls[0],
        {
            "category": CategoryFactory().pk,
            "price": "30",
            "unit": "斤",
            "source": "x",
            "observed_on": "2026-06-01",
        },
    )
    assert response.status_code == 403
    assert not ReferencePrice.objects.exists()


def test_staff_record_a_reference_price_and_bad_input_changes_nothing(client):
    client.force_login(StaffUserFactory())
    category = CategoryFactory(name="干货")
    data = {
        "category": category.pk,
        "region": county("611026").pk,
        "price": "30",
        "unit": "250g",
        "source": "市场零售价",
        "observed_on": "2026-06-01",
    }
    response = client.post(reverse("catalogue:price-watch"), data)
    assert response.status_code == 200  # a county is not among the provinces offered
    assert not ReferencePrice.objects.exists()
    response = client.post(reverse("catalogue:price-watch"), {**data, "region": ""})
    assert response.status_code == 302
    assert ReferencePrice.objects.get().region is None


def test_the_staff_page_lists_flagged_listings_in_constant_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(StaffUserFactory())
    with django_assert_max_num_queries(25) as first:
        html = client.get(reverse("catalogue:price-watch")).content.decode()
    assert html.count("高出") >= 1 and "20.9%" in html and "99.5%" in html
    for _ in range(5):
        product_with_stock(
            price=Decimal("80.00"), categories=[world["shaanxi_high"].categories.get()]
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        html = client.get(reverse("catalogue:price-watch")).content.decode()
    assert html.count("142.4%") == 5


def test_the_producer_sees_its_flagged_listings_on_its_product_list(client, world):
    product = world["shaanxi_high"]
    client.force_login(producer_user(product.producer))
    html = client.get(
        reverse("producers:workspace-products", kwargs={"pk": product.producer.pk})
    ).content.decode()
    assert 'id="price-watch-notice"' in html
    assert "高出 20.9%" in html
    html = client.get(
        reverse(
            "producers:workspace-product-edit",
            kwargs={"pk": product.producer.pk, "product_pk": product.pk},
        )
    ).content.decode()
    assert 'id="price-watch-notice"' in html and "高出 20.9%" in html
    fair = world["shaanxi_fair"]
    client.force_login(producer_user(fair.producer))
    html = client.get(
        reverse("producers:workspace-products", kwargs={"pk": fair.producer.pk})
    ).content.decode()
    assert 'id="price-watch-notice"' not in html


def test_an_agency_sees_the_comparison_when_it_orders(client, world):
    team = Team()
    order = draft_order(team, [(world["shaanxi_high"], 2), (world["no_reference"], 1)])
    client.force_login(team.purchaser)
    html = client.get(reverse("procurement:order-detail", args=[order.pk])).content.decode()
    lines = html.split('id="order-lines"', 1)[1].split("</table>", 1)[0]
    assert "33.00/250g" in lines
    assert "高出 20.9%" in lines and "高于参考价" in lines
    catalogue = html.split('id="catalogue"', 1)[1].split("</table>", 1)[0]
    assert "高出 99.5%" in catalogue
