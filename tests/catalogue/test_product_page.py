"""The product page and what leads to it: a listing the public may not see is
a 404 at any address, is recommended nowhere and cannot be bought."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import ProducerFactory, StaffUserFactory, UserFactory, product_with_stock

Basket = get_model("basket", "Basket")
ProductRecommendation = get_model("catalogue", "ProductRecommendation")

pytestmark = pytest.mark.django_db


def detail_url(product, slug="x"):
    return reverse("catalogue:detail", kwargs={"product_slug": slug, "pk": product.pk})


def test_a_wrong_slug_is_a_404_not_a_redirect_that_names_the_listing(client, hidden, assert_hides):
    response = client.get(detail_url(hidden))
    assert response.status_code == 404
    assert_hides(response, hidden)


def test_a_wrong_slug_is_a_404_for_signed_in_customers_too(client, customer, hidden, assert_hides):
    response = client.get(detail_url(hidden))
    assert response.status_code == 404
    assert_hides(response, hidden)


def test_a_live_listing_still_redirects_a_wrong_slug_to_its_address(client, live):
    response = client.get(detail_url(live))
    assert response.status_code == 301
    assert response["Location"] == live.get_absolute_url()


@pytest.mark.parametrize("who", ["staff", "producer"])
def test_staff_and_the_producers_users_still_preview_a_hidden_listing(client, who):
    producer = ProducerFactory()
    product = product_with_stock(producer=producer, title="预览中的木耳", review_status="pending")
    if who == "staff":
        user = StaffUserFactory()
    else:
        user = UserFactory()
        producer.partner.users.add(user)
    client.force_login(user)
    response = client.get(detail_url(product), follow=True)
    assert response.redirect_chain == [(product.get_absolute_url(), 301)]
    assert "预览中的木耳" in response.content.decode()


def test_a_hidden_listing_cannot_be_put_in_a_basket(client, hidden, assert_hides):
    response = client.post(
        reverse("basket:add", kwargs={"pk": hidden.pk}), {"quantity": 1}, follow=True
    )
    assert_hides(response, hidden)
    assert not Basket.objects.filter(lines__product=hidden).exists()


def test_a_live_listing_goes_into_the_basket(client, live):
    client.post(reverse("basket:add", kwargs={"pk": live.pk}), {"quantity": 1})
    assert Basket.objects.filter(lines__product=live).exists()


def test_a_live_page_does_not_recommend_a_hidden_listing(client, live, hidden, assert_hides):
    ProductRecommendation.objects.create(primary=live, recommendation=hidden, ranking=1)
    response = client.get(live.get_absolute_url())
    assert response.status_code == 200
    assert_hides(response, hidden)


def test_the_product_page_shows_the_label_origin_producer_and_certificates_not_upc_or_tax(client):
    import datetime

    from catalogue.services import listing_product_class
    from producers.models import Certificate

    product = product_with_stock(product_class=listing_product_class(), upc="UPC-SHOWN-NOWHERE")
    product.attr.net_content = "250g"
    product.attr.spec = "礼盒装"
    product.attr.shelf_life = "24个月"
    product.attr.storage = "阴凉干燥处"
    product.attr.save()
    county = product.origin_county
    county.is_key_assistance_county = True
    county.save()
    certificate = Certificate.objects.create(
        producer=product.producer,
        kind=Certificate.Kind.GREEN_FOOD,
        number="LB-2026-001",
        issuer="中国绿色食品发展中心",
        valid_from=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2099, 12, 31),
    )
    certificate.products.add(product)

    page = client.get(product.get_absolute_url()).content.decode()

    facts = page[page.index("mkt-product-facts") :]
    for text in ("净含量", "250g", "规格", "礼盒装", "保质期", "24个月", "储存条件", "阴凉干燥处"):
        assert text in facts
    assert county.full_name in facts and "重点帮扶县" in facts
    assert product.producer.name in facts
    assert reverse("producers:producer-detail", args=[product.producer.pk]) in facts
    assert "LB-2026-001" in facts and "有效期至 2099-12-31" in facts
    for gone in ("UPC-SHOWN-NOWHERE", "UPC", "商品类别", "含税", "不含税", "<th>税</th>"):
        assert gone not in page
