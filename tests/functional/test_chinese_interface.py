"""Pages in the default Chinese interface carry no English left-overs and none
of Oscar's mistranslations (登陆, 介绍 for delivery notes, 卖家评论 for reviews)."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import UserFactory, place_order, product_with_stock

ProductReview = get_model("reviews", "ProductReview")

pytestmark = pytest.mark.django_db


def test_the_basket_message_after_adding_is_chinese(client):
    product = product_with_stock()
    response = client.post(
        reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1}, follow=True
    )
    page = response.content.decode()
    assert "Your basket total is now" not in page
    assert "购物车合计" in page


def test_the_login_page_says_denglu_and_the_header_is_labelled_in_chinese(client):
    page = client.get(reverse("customer:login")).content.decode()
    assert "登陆" not in page
    assert "登录" in page
    header = page[: page.index("</header>")]
    assert "切换语言" in header and "界面语言" in header
    assert "执行" not in header and ">Go<" not in header
    assert "Toggle Dropdown" not in header


def test_a_product_with_one_review_says_one_review_not_seller_review(client):
    product = product_with_stock()
    ProductReview.objects.create(
        product=product, user=UserFactory(), title="好吃", body="泡发后肉厚。", score=5,
        status=ProductReview.APPROVED,
    )  # fmt: skip
    page = client.get(product.get_absolute_url()).content.decode()
    assert "卖家评论" not in page
    assert "1 条评价" in page


def test_the_shipping_address_form_labels_delivery_notes(client):
    product = product_with_stock()
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    client.post(reverse("checkout:index"), {"username": "g@example.com", "options": "anonymous"})
    page = client.get(reverse("checkout:shipping-address")).content.decode()
    assert "配送备注" in page
    assert "介绍" not in page


def test_the_guest_order_status_pages_are_chinese(client):
    order = place_order(product_with_stock(title="柞水黑木耳 250g"), number="100777")
    order.guest_email = "guest@example.com"
    order.save()
    url = reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )
    form_url = client.get(url)["Location"]
    form_page = client.get(form_url).content.decode()
    assert "查询订单状态" in form_page
    assert "Enter the following information" not in form_page

    wrong = client.post(form_url, {"email": "someone@example.com"}).content.decode()
    assert "未找到该订单" in wrong and "Order not found" not in wrong

    response = client.post(form_url, {"email": "guest@example.com"}, follow=True)
    page = response.content.decode()
    assert "订单 100777" in page and "订单总额" in page
    for english in ("Order #", "Shipping method", "Order contents", "Totals", "Order total"):
        assert english not in page
