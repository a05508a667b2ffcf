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
