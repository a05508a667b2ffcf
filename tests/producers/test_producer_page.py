"""The public producer page, and the producer's figures on product pages."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from producers.models import Certificate
from producers.services import benefit_linkage_verify
from tests.factories import (
    ProducerFactory,
    ProductImageFactory,
    StaffUserFactory,
    county,
    product_with_stock,
)
from tests.factories.producers import BenefitLinkageFactory

pytestmark = pytest.mark.django_db


def page_url(producer):
    return reverse("producers:producer-detail", kwargs={"pk": producer.pk})


def certificate(producer, number, *, valid_until):
    return Certificate.objects.create(
        producer=producer,
        kind=Certificate.Kind.POVERTY_ALLEVIATION_2020,
        number=number,
        issuer="陕西省乡村振兴局",
        valid_from=date(2020, 6, 1),
        valid_until=valid_until,
    )


def test_producer_page_shows_who_they_are_certificates_and_latest_figures(client):
    region = county("522633")  # 从江县
    region.is_key_assistance_county = True
    region.save()
    producer = ProducerFactory(county=region, introduction="侗乡村寨的农户组建，稻鱼鸭共生。")
    today = date.today()
    certificate(producer, "FP-VALID-001", valid_until=today + timedelta(days=365))
    certificate(producer, "FP-LAPSED-002", valid_until=today - timedelta(days=1))
    BenefitLinkageFactory(producer=producer, year=2024, total_households=25)
    BenefitLinkageFactory(producer=producer, year=2025, total_households=33)

    page = client.get(page_url(producer)).content.decode()

    assert producer.name in page
    assert "农民专业合作社" in page
    assert "贵州省 黔东南苗族侗族自治州 从江县" in page
    assert "重点帮扶县" in page
    assert "稻鱼鸭共生" in page
    assert "FP-VALID-001" in page and "陕西省乡村振兴局" in page
    assert "FP-LAPSED-002" not in page
    assert "2025 年带动脱贫户 33 户" in page
    assert "订单收购" in page and "¥160000.00" in page
    assert "未核实" in page


def test_verified_figures_are_not_marked_unverified(client):
    producer = ProducerFactory()
    benefit_linkage_verify(
        linkage=BenefitLinkageFactory(producer=producer), actor=StaffUserFactory()
    )
    page = client.get(page_url(producer)).content.decode()
    assert "已核实" in page and "未核实" not in page


def test_unknown_producer_is_a_404(client):
    assert (
        client.get(reverse("producers:producer-detail", kwargs={"pk": 999999})).status_code == 404
    )


def test_producer_page_lists_only_its_own_products(client):
    producer, other = ProducerFactory(), ProducerFactory()
    product_with_stock(producer=producer, title="秦岭黑木耳 250g")
    product_with_stock(producer=other, title="紫阳富硒茶 100g")
    response = client.get(page_url(producer))
    assert [p.title for p in response.context["products"]] == ["秦岭黑木耳 250g"]


def _queries(client, url):
    client.get(url)  # warm thumbnail and template caches, as a real visitor finds them
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_producer_page_query_count_does_not_grow_with_its_products(client):
    producer = ProducerFactory()
    certificate(producer, "FP-VALID-001", valid_until=date.today() + timedelta(days=365))
    BenefitLinkageFactory(producer=producer)

    def add_products(count):
        for i in range(count):
            product = product_with_stock(price=Decimal("20.00") + i, producer=producer)
            ProductImageFactory(product=product)

    add_products(3)
    small, response = _queries(client, page_url(producer))
    assert len(response.context["products"]) == 3

    add_products(27)
    large, response = _queries(client, page_url(producer))
    assert len(response.context["products"]) == 24

    assert small == large, f"producer page: {small} queries with 3 products, {large} with 30"


def test_product_cards_and_pages_link_the_producer(client):
    producer = ProducerFactory()
    product = product_with_stock(producer=producer)
    page = client.get(product.get_absolute_url()).content.decode()
    assert f'href="{page_url(producer)}"' in page


def test_product_detail_shows_households_line_marked_unverified(client):
    producer = ProducerFactory()
    BenefitLinkageFactory(producer=producer, year=2024, total_households=25)
    BenefitLinkageFactory(producer=producer, year=2025, total_households=33)
    product = product_with_stock(producer=producer)

    page = client.get(product.get_absolute_url()).content.decode()

    assert "带动脱贫户 33 户" in page
    assert "未核实" in page


def test_product_detail_households_line_verified(client):
    producer = ProducerFactory()
    benefit_linkage_verify(
        linkage=BenefitLinkageFactory(producer=producer), actor=StaffUserFactory()
    )
    product = product_with_stock(producer=producer)
    page = client.get(product.get_absolute_url()).content.decode()
    assert "带动脱贫户 30 户" in page and "已核实" in page and "未核实" not in page


def test_product_detail_without_figures_has_no_households_line(client):
    product = product_with_stock(producer=ProducerFactory())
    assert "带动脱贫户" not in client.get(product.get_absolute_url()).content.decode()
