"""Paying by card through Stripe PaymentIntents, against localstripe (real
HTTP): the order is placed awaiting payment with its stock allocated and an
intent for its total; the card goes to Stripe, only its token to us; declines
and 3-D Secure keep the order and let the buyer try again (issue 13)."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from payments.models import StripePayment, StripePaymentStatus
from payments.rules import amount_in_fen, stripe_intent_idempotency_key
from tests.factories import product_with_stock
from tests.support import stripe as fake_stripe
from tests.support.checkout import add_to_basket, address_data, place_with

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    return product_with_stock(price=Decimal("39.90"), stock=5, title="柞水黑木耳 250g")


@pytest.fixture
def card_order(client, stripe_on, product):
    add_to_basket(client, product, quantity=2)
    response = place_with(client, "stripe-card")
    order = Order.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("payments:stripe-pay", kwargs={"number": order.number})
    mail.outbox.clear()
    return order


def pay(client, order, number):
    return client.post(
        reverse("payments:stripe-card", kwargs={"number": order.number}),
        {"token": fake_stripe.card_token(number)},
    ).json()


def test_the_card_method_is_offered_only_with_both_stripe_keys(client, settings, product):
    add_to_basket(client, product)
    client.post(reverse("checkout:index"), {"username": "g@example.com", "options": "anonymous"})
    client.post(reverse("checkout:shipping-address"), address_data())
    client.get(reverse("checkout:shipping-method"), follow=True)
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_test_x", ""
    page = client.get(reverse("checkout:payment-details")).content.decode()
    assert "银行转账" in page
    assert "stripe-card" not in page
    # A forged choice falls back to the one method there is.
    response = client.post(reverse("checkout:preview"), {"payment_method": "stripe-card"})
    assert "请选择支付方式" in response.content.decode()

    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_x"
    page = client.get(reverse("checkout:payment-details")).content.decode()
    assert 'value="stripe-card"' in page


def test_a_card_order_is_placed_awaiting_payment_with_stock_allocated_and_an_intent(
    card_order, product
):
    order = card_order
    assert order.status == settings.ORDER_STATUS_PENDING_PAYMENT
    assert StockRecord.objects.get(product=product).num_allocated == 2
    source = order.sources.get()
    assert source.source_type.code == "stripe-card"
    assert (source.amount_allocated, source.amount_debited) == (Decimal("79.80"), Decimal("0"))
    payment = StripePayment.objects.get(order=order)
    assert (payment.amount, payment.currency, payment.status) == (
        Decimal("79.80"),
        "CNY",
        StripePaymentStatus.OPEN,
    )
    at_stripe = fake_stripe.intent(payment.intent_id)
    assert (at_stripe["amount"], at_stripe["currency"], at_stripe["status"]) == (
        7980,
        "cny",
        "requires_payment_method",
    )
    assert at_stripe["metadata"] == {"order_number": order.number}


def test_the_intent_idempotency_key_comes_from_basket_and_amount():
    assert amount_in_fen(Decimal("79.80")) == 7980
    first = stripe_intent_idempotency_key(basket_id=7, amount=Decimal("79.80"))
    assert first == stripe_intent_idempotency_key(basket_id=7, amount=Decimal("79.80"))
    assert first != stripe_intent_idempotency_key(basket_id=7, amount=Decimal("79.90"))
    assert first != stripe_intent_idempotency_key(basket_id=8, amount=Decimal("79.80"))
    assert first != stripe_intent_idempotency_key(basket_id=7, amount=Decimal("79.80"), attempt=2)


def test_the_payment_page_loads_stripe_js_and_only_it_allows_its_origin(
    client, card_order, stripe_on
):
    response = client.get(reverse("payments:stripe-pay", kwargs={"number": card_order.number}))
    page = response.content.decode()
    assert f'<script src="{settings.STRIPE_JS_URL}"></script>' in page
    assert 'name="card' not in page  # no card field of ours: the card element is Stripe's
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert settings.STRIPE_API_BASE in script_src
    home_policy = client.get(reverse("checkout:thank-you"))["Content-Security-Policy"]
    assert settings.STRIPE_API_BASE not in home_policy


def test_someone_else_cannot_open_the_payment_page(card_order):
    from django.test import Client

    stranger = Client()
    url = reverse("payments:stripe-pay", kwargs={"number": card_order.number})
    assert stranger.get(url).status_code == 404
    card = reverse("payments:stripe-card", kwargs={"number": card_order.number})
    assert stranger.post(card, {"token": "tok_x"}).status_code == 404


def test_a_good_card_pays_the_order_once_with_the_paid_email(
    client, card_order, product, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = pay(client, card_order, fake_stripe.CARD_OK)

    assert answer["status"] == "succeeded"
    card_order.refresh_from_db()
    assert card_order.status == settings.ORDER_STATUS_PAID
    payment = StripePayment.objects.get(order=card_order)
    assert payment.status == StripePaymentStatus.SUCCEEDED
    event = card_order.payment_events.get()
    assert (event.amount, event.reference, event.event_type.code) == (
        Decimal("79.80"),
        payment.intent_id,
        "paid",
    )
    assert card_order.sources.get().amount_debited == Decimal("79.80")
    assert StockRecord.objects.get(product=product).num_allocated == 2
    assert [m.subject for m in mail.outbox] == [f"订单 {card_order.number} 已付款"]
    assert card_order.number in mail.outbox[0].body
    # The return from the page finds it paid and changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(answer["return_url"])
    assert response.status_code == 302
    assert card_order.payment_events.count() == 1
    assert len(mail.outbox) == 1


def test_a_declined_card_keeps_the_order_and_another_card_pays_it(client, card_order):
    first = StripePayment.objects.get(order=card_order)

    answer = pay(client, card_order, fake_stripe.CARD_DECLINED)

    assert answer["status"] == "error"
    assert answer["code"] == "stripe_card_declined"
    assert "换一张卡" in answer["message"]
    card_order.refresh_from_db()
    assert card_order.status == settings.ORDER_STATUS_PENDING_PAYMENT
    first.refresh_from_db()
    assert first.status == StripePaymentStatus.CANCELLED
    assert not card_order.payment_events.exists()

    answer = pay(client, card_order, fake_stripe.CARD_OK)

    assert answer["status"] == "succeeded"
    assert Order.objects.count() == 1
    card_order.refresh_from_db()
    assert card_order.status == settings.ORDER_STATUS_PAID
    assert card_order.payment_events.count() == 1
    assert StripePayment.objects.filter(order=card_order).count() == 2


def test_3d_secure_failed_keeps_the_order_and_passing_it_pays(
    client, card_order, django_capture_on_commit_callbacks
):
    answer = pay(client, card_order, fake_stripe.CARD_3DS)
    assert answer["status"] == "requires_action"
    payment = StripePayment.objects.get(order=card_order)
    assert answer["client_secret"].startswith(payment.intent_id)

    fake_stripe.authenticate(
        intent_id=payment.intent_id, client_secret=answer["client_secret"], success=False
    )
    response = client.get(answer["return_url"], follow=True)
    assert "尚未完成" in response.content.decode()
    card_order.refresh_from_db()
    assert card_order.status == settings.ORDER_STATUS_PENDING_PAYMENT

    answer = pay(client, card_order, fake_stripe.CARD_3DS)
    assert answer["status"] == "requires_action"
    fake_stripe.authenticate(
        intent_id=payment.intent_id, client_secret=answer["client_secret"], success=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(answer["return_url"], follow=True)
    assert "付款成功" in response.content.decode()
    card_order.refresh_from_db()
    assert card_order.status == settings.ORDER_STATUS_PAID
    assert len(mail.outbox) == 1


def test_a_paid_order_cannot_be_paid_again(client, card_order):
    pay(client, card_order, fake_stripe.CARD_OK)

    answer = pay(client, card_order, fake_stripe.CARD_OK)

    assert answer["code"] == "stripe_order_not_payable"
    assert card_order.payment_events.count() == 1
    page = client.get(reverse("payments:stripe-pay", kwargs={"number": card_order.number}))
    assert page.status_code == 302


def test_a_malformed_token_is_refused_without_calling_stripe(client, card_order):
    response = client.post(
        reverse("payments:stripe-card", kwargs={"number": card_order.number}),
        {"token": "4242424242424242"},
    )
    assert response.status_code == 400
    assert "银行卡信息" in response.json()["message"]


def test_bank_transfer_still_works_beside_the_card(client, stripe_on, product):
    add_to_basket(client, product)
    response = place_with(client, "bank-transfer")
    assert response.url == reverse("checkout:thank-you")
    order = Order.objects.get()
    assert order.sources.get().source_type.code == "bank-transfer"
    assert not StripePayment.objects.exists()
    assert "汇款备注填写订单号" in mail.outbox[0].body


def test_a_signed_in_buyer_finds_the_way_back_to_paying_on_the_order_page(
    client, stripe_on, product
):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    add_to_basket(client, product)
    client.post(reverse("checkout:shipping-address"), address_data())
    client.get(reverse("checkout:shipping-method"), follow=True)
    client.post(reverse("checkout:preview"), {"payment_method": "stripe-card"})
    client.post(reverse("checkout:preview"), {"action": "place_order"})
    order = Order.objects.get(user=user)

    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))

    text = page.content.decode()
    assert reverse("payments:stripe-pay", kwargs={"number": order.number}) in text
    assert "等待银行卡付款" in text
    assert "汇款备注" not in text
    answer = pay(client, order, fake_stripe.CARD_OK)
    assert answer["status"] == "succeeded"
    text = client.get(
        reverse("customer:order", kwargs={"order_number": order.number})
    ).content.decode()
    assert "等待银行卡付款" not in text


def test_alipay_and_wechat_pay_are_offered_on_the_same_intent_where_settings_enable_them(
    client, settings, stripe_on, product
):
    """STRIPE_PAYMENT_METHODS adds Alipay and WeChat Pay: the order's one
    intent accepts them beside the card, and the page hands Stripe.js that
    intent's client secret to confirm them, so a failed attempt needs no second
    order. Without them the page offers the card alone."""
    settings.STRIPE_PAYMENT_METHODS = ["card", "alipay", "wechat_pay"]
    add_to_basket(client, product, quantity=1)
    place_with(client, "stripe-card")
    order = Order.objects.get()
    payment = StripePayment.objects.get(order=order)
    secret = fake_stripe.intent(payment.intent_id)["client_secret"]

    page = client.get(reverse("payments:stripe-pay", kwargs={"number": order.number}))
    text = page.content.decode()
    assert 'data-wallet="alipay"' in text and "支付宝" in text
    assert 'data-wallet="wechat_pay"' in text and "微信支付" in text
    assert f'data-client-secret="{secret}"' in text
    assert (
        f'data-return-url="http://testserver{reverse("payments:stripe-return", kwargs={"number": order.number})}"'
        in text
    )

    settings.STRIPE_PAYMENT_METHODS = ["card"]
    text = client.get(
        reverse("payments:stripe-pay", kwargs={"number": order.number})
    ).content.decode()
    assert "data-wallet=" not in text
    assert secret not in text


def test_stripe_payment_methods_always_include_the_card_and_refuse_unknown_names(settings):
    from payments.checks import payments_settings_check
    from payments.rules import stripe_payment_methods

    settings.STRIPE_PAYMENT_METHODS = ["wechat_pay", " alipay "]
    assert stripe_payment_methods() == ["card", "alipay", "wechat_pay"]
    assert payments_settings_check() == []
    settings.STRIPE_PAYMENT_METHODS = ["card", "paypal"]
    (error,) = payments_settings_check()
    assert error.id == "payments.E001" and "paypal" in error.msg
