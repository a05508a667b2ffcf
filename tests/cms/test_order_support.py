"""The buyer is told whom the purchase supported: counties, producers with
their verified household figure, and a link to each published story."""

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import BenefitLinkageFactory, ProducerFactory, UserFactory, product_with_stock
from tests.factories.cms import story_page
from tests.factories.producers import county
from tests.support.checkout import add_to_basket, checkout_to_order

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def _two_producers():
    told = ProducerFactory(name="金米村木耳专业合作社")
    told.county.is_key_assistance_county = True
    told.county.save()
    BenefitLinkageFactory(producer=told, year=2025, total_households=35, verified=True)
    story = story_page(told, intro="木耳的故事")
    quiet = ProducerFactory(name="紫阳茶叶专业合作社", county=county("610924"))
    # Unverified figures are not told; a draft story is not linked.
    BenefitLinkageFactory(producer=quiet, year=2025, total_households=40)
    draft = story_page(quiet, publish=False)
    products = [product_with_stock(producer=p) for p in (told, quiet)]
    return story, draft, products


def test_confirmation_email_and_order_page_tell_whom_the_order_supported(client):
    story, draft, products = _two_producers()
    user = UserFactory()
    client.force_login(user)
    for product in products:
        add_to_basket(client, product)

    checkout_to_order(client)

    order = Order.objects.get(user=user)
    message = mail.outbox[-1]
    html_part = message.alternatives[0][0]
    thank_you = client.get(reverse("checkout:thank-you")).content.decode()
    order_page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    order_page = order_page.content.decode()
    for text in (thank_you, order_page, message.body, html_part):
        assert "您的这笔订单支持了" in text
        assert "陕西省 商洛市 柞水县" in text and "紫阳县" in text
        assert "金米村木耳专业合作社" in text and "紫阳茶叶专业合作社" in text
        assert "2025 年带动脱贫户 35 户（已核实）" in text
        assert "40 户" not in text
        assert story.url in text
        assert f"/{draft.slug}/" not in text
    # E-mails link absolutely, as the order status link does.
    assert f"://{Site.objects.get_current().domain}{story.url}" in message.body


def test_order_support_is_a_fixed_number_of_queries(django_assert_num_queries):
    from cms.selectors import order_support
    from tests.factories import place_order

    _story, _draft, products = _two_producers()
    order = place_order(*products)
    order_support(order=order)  # Wagtail caches the site's root paths
    with django_assert_num_queries(3):
        support = order_support(order=order)
    assert len(support.producers) == 2 and len(support.counties) == 2
