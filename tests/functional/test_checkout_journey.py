from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from regions.models import Region
from tests.factories import StaffUserFactory, UserFactory, county, product_with_stock
from tests.support.checkout import (
    add_to_basket,
    address_data,
    checkout_to_order,
    checkout_to_preview,
)

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def test_guest_buys_by_bank_transfer_and_order_awaits_payment(client):
    product = product_with_stock(price=Decimal("39.90"), stock=5, title="柞水黑木耳 250g")
    client.get(reverse("home"))
    client.get(product.get_absolute_url())
    add_to_basket(client, product, quantity=2)

    response = checkout_to_order(client, guest_email="guest@example.com")

    assert response.status_code == 302
    assert response.url == reverse("checkout:thank-you")
    order = Order.objects.get()
    # Stored as the pipeline's code; people read the label.
    assert order.status == "pending_payment"
    assert order.lines.get().status == "pending_payment"
    assert order.guest_email == "guest@example.com"
    assert order.total_incl_tax == Decimal("79.80")
    assert order.shipping_address.state == "陕西省"
    assert order.shipping_address.line4 == "商洛市"
    assert order.shipping_address.line3 == "柞水县"
    assert str(order.shipping_address.phone_number) == "+8613800138000"
    source = order.sources.get()
    assert source.source_type.code == "bank-transfer"
    assert source.amount_allocated == Decimal("79.80")
    assert source.amount_debited == Decimal("0.00")
    stock = StockRecord.objects.get(product=product)
    assert stock.num_allocated == 2

    page = client.get(reverse("checkout:thank-you")).content.decode()
    assert order.number in page
    assert "汇款备注" in page
    assert "订单状态：待付款" in page

    assert len(mail.outbox) == 1
    assert order.number in mail.outbox[0].subject
    assert "汇款备注填写订单号" in mail.outbox[0].body


def test_registered_user_sees_the_order_in_their_history(client):
    user = UserFactory()
    client.force_login(user)
    product = product_with_stock(price=Decimal("128.00"), stock=10)
    add_to_basket(client, product)

    checkout_to_order(client)

    order = Order.objects.get(user=user)
    history = client.get(reverse("customer:order-list")).content.decode()
    assert order.number in history
    detail = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert "汇款备注请填写订单号" in detail.content.decode()
    assert "<p>待付款</p>" in detail.content.decode()
    assert "pending_payment" not in detail.content.decode()


def test_staff_mark_a_bank_transfer_order_paid_by_recording_the_bank_receipt(client):
    product = product_with_stock(price=Decimal("50.00"), stock=10)
    add_to_basket(client, product)
    checkout_to_order(client, guest_email="guest@example.com")
    order = Order.objects.get()

    staff = StaffUserFactory()
    client.force_login(staff)
    detail = reverse("dashboard:order-detail", kwargs={"number": order.number})
    page = client.get(detail).content.decode()
    assert '<option value="paid">' not in page
    assert "<td>待付款</td>" in page
    assert "登记银行收款" in page
    response = client.post(
        detail,
        {
            "order_action": "record_bank_receipt",
            "receipt-reference": "ABC0001",
            "receipt-amount": "50.00",
            "receipt-received_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "paid"
    source = order.sources.get()
    assert source.amount_debited == source.amount_allocated == Decimal("50.00")
    event = order.payment_events.get()
    assert (event.amount, event.reference) == (Decimal("50.00"), "ABC0001")
    assert order.notes.filter(user=staff).exists()


def test_bad_mobile_and_mismatched_county_are_form_errors_and_save_nothing(client):
    product = product_with_stock()
    add_to_basket(client, product)
    client.post(reverse("checkout:index"), {"username": "g@example.com", "options": "anonymous"})
    other_county = county("610924")  # 紫阳县, in 安康市, not 商洛市

    response = client.post(
        reverse("checkout:shipping-address"),
        address_data(phone_number="12345", county=other_county.pk),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "phone_number" in errors
    assert "county" in errors
    assert "请输入有效的中国大陆手机号" in response.content.decode()
    assert Order.objects.count() == 0


def test_municipality_address_needs_no_city(client):
    product = product_with_stock()
    add_to_basket(client, product)
    county("110108")
    haidian = Region.objects.get(code="110108")

    response = checkout_to_order(
        client,
        guest_email="g@example.com",
        address=address_data(province=haidian.parent.pk, city="", county=haidian.pk),
    )

    assert response.status_code == 302
    address = Order.objects.get().shipping_address
    assert (address.state, address.line4, address.line3) == ("北京市", "北京市", "海淀区")


def test_last_unit_taken_while_reviewing_the_order_is_refused_and_allocates_nothing(client):
    product = product_with_stock(stock=1)
    add_to_basket(client, product)
    checkout_to_preview(client, guest_email="g@example.com")

    # Someone else buys the last unit while this shopper reads the preview.
    StockRecord.objects.filter(product=product).update(num_allocated=1)
    response = client.post(reverse("checkout:preview"), {"action": "place_order"}, follow=True)

    assert Order.objects.count() == 0
    assert StockRecord.objects.get(product=product).num_allocated == 1
    assert response.redirect_chain[-1][0] == reverse("basket:summary")


def test_the_address_prints_in_chinese_order_on_preview_thank_you_and_in_both_email_parts(client):
    product = product_with_stock()
    add_to_basket(client, product)
    county("110108")
    haidian = Region.objects.get(code="110108")
    address = address_data(
        province=haidian.parent.pk, city="", county=haidian.pk, line1="中关村大街 1 号",
        notes="工作日送货",
    )  # fmt: skip
    checkout_to_preview(client, guest_email="g@example.com", address=address)
    preview = client.get(reverse("checkout:preview")).content.decode()

    client.post(reverse("checkout:preview"), {"action": "place_order"})
    thank_you = client.get(reverse("checkout:thank-you")).content.decode()
    message = mail.outbox[-1]
    html = message.alternatives[0][0]

    for text in (preview, thank_you, message.body, html):
        assert "北京市 海淀区 中关村大街 1 号" in text
        assert "北京市 北京市" not in text
        assert text.index("中关村大街") < text.index("王小明") < text.index("138 0013 8000")
        assert "+86" not in text
    for page in (preview, thank_you):
        assert "配送备注" in page and "工作日送货" in page
        assert "介绍" not in page
