"""Oscar's review pages (list, detail, write, vote) follow the product page's
rule: a listing the public may not see has none of them, and nobody reviews it."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalogue.rules import product_reviewable_by
from tests.factories import (
    ProducerFactory,
    StaffUserFactory,
    UserFactory,
    multi_spec_product,
    place_order,
    product_with_stock,
)

ProductReview = get_model("reviews", "ProductReview")

pytestmark = pytest.mark.django_db


def reviews_url(name, product, **kwargs):
    return reverse(
        f"catalogue:{name}", kwargs={"product_slug": "x", "product_pk": product.pk, **kwargs}
    )


def review_of(product, title="好吃，回购"):
    return ProductReview.objects.create(
        product=product,
        user=UserFactory(),
        title=title,
        body="泡发后肉厚。",
        score=5,
        status=ProductReview.APPROVED,
    )


def test_reviews_list_of_a_hidden_listing_is_a_404(client, hidden, assert_hides):
    review_of(hidden)
    response = client.get(reviews_url("reviews-list", hidden))
    assert response.status_code == 404
    assert_hides(response, hidden)


def test_a_review_of_a_hidden_listing_is_a_404(client, hidden, assert_hides):
    review = review_of(hidden)
    response = client.get(reviews_url("reviews-detail", hidden, pk=review.pk))
    assert response.status_code == 404
    assert_hides(response, hidden)


def test_a_review_of_a_hidden_listing_is_not_shown_under_a_live_listings_address(
    client, live, hidden
):
    review = review_of(hidden, title="隐藏商品的评价")
    response = client.get(reviews_url("reviews-detail", live, pk=review.pk))
    assert response.status_code == 404
    assert "隐藏商品的评价" not in response.content.decode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_no_one_can_review_a_hidden_listing(client, hidden, assert_hides, signed_in):
    if signed_in:
        client.force_login(UserFactory())
    url = reviews_url("reviews-add", hidden)
    page = client.get(url)
    assert page.status_code == 404
    assert_hides(page, hidden)
    posted = client.post(
        url, {"title": "不错", "body": "好", "score": 5, "name": "路人", "email": "a@example.com"}
    )
    assert posted.status_code == 404
    assert_hides(posted, hidden)
    assert not ProductReview.objects.filter(product=hidden).exists()


def test_no_one_votes_on_reviews_of_a_hidden_listing(client, customer, hidden, assert_hides):
    review = review_of(hidden)
    response = client.post(reviews_url("reviews-vote", hidden, pk=review.pk), {"delta": 1})
    assert response.status_code == 404
    assert_hides(response, hidden)
    assert not review.votes.exists()


def test_not_even_those_who_may_preview_a_hidden_listing_may_review_it():
    producer = ProducerFactory()
    user = UserFactory()
    producer.partner.users.add(user)
    product = product_with_stock(producer=producer, review_status="pending")
    assert not product.is_review_permitted(user)
    assert not product.is_review_permitted(StaffUserFactory())


def test_the_producer_previews_reviews_of_its_listing_in_review(client):
    producer = ProducerFactory()
    user = UserFactory()
    producer.partner.users.add(user)
    product = product_with_stock(producer=producer, review_status="pending")
    review_of(product)
    client.force_login(user)
    assert client.get(reviews_url("reviews-list", product)).status_code == 200


def test_reviews_of_a_live_listing_are_public(client, live):
    review = review_of(live)
    assert client.get(reviews_url("reviews-list", live)).status_code == 200
    assert client.get(reviews_url("reviews-detail", live, pk=review.pk)).status_code == 200
    # Writing one is for customers who received it (below): the visitor is sent back.
    assert client.get(reviews_url("reviews-add", live)).status_code == 302


# --- Only customers who received the product review it ----------------------------------


def _review_post(client, product):
    return client.post(
        reviews_url("reviews-add", product),
        {
            "title": "不错",
            "body": "泡发后肉厚。",
            "score": 5,
            "name": "路人",
            "email": "a@example.com",
        },
    )


def test_an_anonymous_visitor_cannot_review_a_live_listing(client, live):
    _review_post(client, live)
    assert not ProductReview.objects.filter(product=live).exists()


@pytest.mark.parametrize(
    ("status", "may_review"),
    [
        (None, False),
        ("pending_payment", False),
        ("paid", False),
        # Shipped is not received: the parcel may still be on its way.
        ("shipped", False),
        ("cancelled", False),
        # Receipt confirmed, by the buyer or automatically.
        ("complete", True),
    ],
)
def test_only_a_customer_who_received_the_product_reviews_it(client, live, status, may_review):
    customer = UserFactory()
    if status is not None:
        order = place_order(live, number=f"R{status}")
        order.user = customer
        order.status = status
        order.save(update_fields=["user", "status"])
        order.lines.update(status=status)
    client.force_login(customer)

    assert product_reviewable_by(product=live, user=customer) is may_review
    assert live.is_review_permitted(customer) is may_review
    _review_post(client, live)
    assert ProductReview.objects.filter(product=live, user=customer).exists() is may_review


def _received(product, customer, *, number="R1", line_status="complete"):
    order = place_order(product, number=number)
    order.user = customer
    order.status = line_status
    order.save(update_fields=["user", "status"])
    order.lines.update(status=line_status)
    return order


def test_a_variant_received_lets_the_customer_review_its_listing():
    parent = multi_spec_product()
    customer = UserFactory()
    _received(parent.children.order_by("pk").first(), customer)
    assert product_reviewable_by(product=parent, user=customer)
    assert not product_reviewable_by(product=parent, user=UserFactory())


def test_product_page_offers_the_review_link_only_to_a_customer_who_received_it(client, live):
    received, waiting = UserFactory(), UserFactory()
    _received(live, received, number="R1")
    _received(live, waiting, number="R2", line_status="shipped")
    add_url = reviews_url("reviews-add", live)
    product_url = live.get_absolute_url()

    client.force_login(received)
    page = client.get(product_url).content.decode()
    assert 'id="write_review"' in page
    assert "mkt-review-hint" not in page

    client.force_login(waiting)
    page = client.get(product_url).content.decode()
    assert 'id="write_review"' not in page
    assert "确认收货后才能评价" in page
    # The form says why, rather than Oscar's bare refusal.
    response = client.get(add_url, follow=True)
    assert response.redirect_chain[-1][0] == product_url
    assert "确认收货后才能评价" in response.content.decode()
    assert not ProductReview.objects.filter(product=live).exists()
