"""``manage.py catalogue_import``: the importer from the command line."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from oscar.core.loading import get_model

from catalogue.importers import COLUMNS
from tests.factories import CategoryFactory, producer_with_user

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def catalogue_file(tmp_path, producer, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in COLUMNS])
    for sku, stock in rows:
        writer.writerow([sku, f"柞水黑木耳 {sku}", "干货 > 木耳", "椴木栽培。", producer.county.code,
                         "250g", "袋装", "24个月", "阴凉干燥处", "39.90", stock])  # fmt: skip
    path = tmp_path / "商品.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return str(path)


@pytest.fixture
def seller():
    CategoryFactory(name="干货").add_child(name="木耳")
    return producer_with_user()


def test_command_imports_a_file_and_prints_what_each_row_did(tmp_path, seller):
    producer, user = seller
    path = catalogue_file(tmp_path, producer, [("MUER-1", "10"), ("MUER-2", "20")])
    out = io.StringIO()

    call_command(
        "catalogue_import", "--producer", producer.pk, "--user", user.email, path, stdout=out
    )

    lines = out.getvalue().splitlines()
    assert lines[:2] == ["第 2 行 MUER-1: 新增", "第 3 行 MUER-2: 新增"]
    assert "新增 2 件" in lines[2]
    assert Product.objects.filter(producer=producer).count() == 2


def test_command_prints_every_problem_and_exits_non_zero_on_a_rejected_file(tmp_path, seller):
    producer, user = seller
    path = catalogue_file(tmp_path, producer, [("MUER-1", "10"), ("木耳 2", "10000001")])
    err = io.StringIO()

    with pytest.raises(CommandError) as excinfo:
        call_command(
            "catalogue_import", "--producer", producer.pk, "--user", user.email, path, stderr=err
        )

    assert excinfo.value.returncode == 1
    report = err.getvalue()
    assert "第 3 行 [商品编码]" in report
    assert "第 3 行 [库存]" in report
    assert not Product.objects.exists()


def test_command_refuses_a_user_who_does_not_manage_the_producer(tmp_path, seller):
    producer, _user = seller
    stranger = producer_with_user()[1]
    path = catalogue_file(tmp_path, producer, [("MUER-1", "10")])

    with pytest.raises(CommandError, match="无权"):
        call_command("catalogue_import", "--producer", producer.pk, "--user", stranger.email, path)
    assert not Product.objects.exists()


def test_command_refuses_stale_rows_unless_forced(tmp_path, seller):
    from decimal import Decimal

    from catalogue.importers import CatalogueExporter
    from catalogue.services import product_listing_update

    producer, user = seller
    path = catalogue_file(tmp_path, producer, [("MUER-1", "10")])
    call_command("catalogue_import", "--producer", producer.pk, "--user", user.email, path,
                 stdout=io.StringIO())  # fmt: skip
    product = Product.objects.get(producer=producer)
    exported = tmp_path / "导出.csv"
    exported.write_bytes(CatalogueExporter(producer=producer).export("csv").content)
    product_listing_update(product=product, actor=user, num_in_stock=50)
    args = ["catalogue_import", "--producer", producer.pk, "--user", user.email, str(exported)]

    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(*args, stderr=err)
    assert "第 2 行 [版本]" in err.getvalue()
    assert product.stockrecords.get().num_in_stock == 50

    call_command(*args, "--force-stale", stdout=io.StringIO())
    assert product.stockrecords.get().num_in_stock == 10
    assert product.stockrecords.get().price == Decimal("39.90")
