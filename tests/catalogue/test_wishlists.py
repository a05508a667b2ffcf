"""Wish lists (the customer's own pages and the shared page) and stock alerts
hold only listings visible to the public: none is added while it is not live,
and one that has left the shop since is shown to nobody."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

ProductAlert = get_model("customer", "ProductAlert")
WishList = get_model("wishlists", "WishList")
WishListLine = get_model("wishlists", "Line")

pytestmark = pytest.mark.django_db


def test_a_hidden_listing_cannot_be_added_to_a_wish_list(client, customer, hidden, assert_hides):
    # Adding takes a POST (a GET is refused before anything is looked up).
    url = reverse("customer:wishlists-add-product", kwargs={"product_pk": hidden.pk})
    response = client.post(url, follow=True)
    assert response.status_code == 404
    assert_hides(response, hidden)
    assert not WishListLine.objects.filter(product=hidden).exists()


def test_a_wish_list_cannot_be_created_around_a_hidden_listing(
    client, customer, hidden, assert_hides
):
    url = reverse("customer:wishlists-create-with-product", kwargs={"product_pk": hidden.pk})
    response = client.get(url)
    assert response.status_code == 404
    assert_hides(response, hidden)
    posted = client.post(url, {"name": "年货", "visibility": WishList.PRIVATE}, follow=True)
    assert posted.status_code == 404
    assert not WishListLine.objects.filter(product=hidden).exists()


def test_a_live_listing_is_added_to_a_wish_list(client, customer, live):
    client.post(reverse("customer:wishlists-add-product", kwargs={"product_pk": live.pk}))
    assert WishListLine.objects.filter(product=live, wishlist__owner=customer).exists()


@pytest.fixture
def wishlist_with_hidden_line(customer, live, hidden):
    """Both listings were live when the customer wished for them."""
    wishlist = WishList.objects.create(owner=customer, name="年货", visibility=WishList.PUBLIC)
    wishlist.lines.create(product=live, title=live.get_title())
    line = wishlist.lines.create(product=hidden, title="加入时的标题")
    return wishlist, line


def test_a_shared_wish_list_shows_only_live_listings(
    client, live, hidden, assert_hides, wishlist_with_hidden_line
):
    wishlist, _line = wishlist_with_hidden_line
    client.logout()
    response = client.get(reverse("wishlists:detail", kwargs={"key": wishlist.key}))
    assert response.status_code == 200
    assert live.title in response.content.decode()
    assert_hides(response, hidden)


def test_the_owners_wish_list_shows_only_live_listings(
    client, live, hidden, assert_hides, wishlist_with_hidden_line
):
    wishlist, _line = wishlist_with_hidden_line
    response = client.get(reverse("customer:wishlists-detail", kwargs={"key": wishlist.key}))
    assert response.status_code == 200
    assert live.title in response.content.decode()
    assert_hides(response, hidden)


def test_a_hidden_line_is_not_shown_by_the_remove_and_move_pages(
    client, customer, hidden, assert_hides, wishlist_with_hidden_line
):
    wishlist, line = wishlist_with_hidden_line
    other = WishList.objects.create(owner=customer, name="送礼")
    # Removing asks for confirmation on a GET; moving takes a POST.
    requests = [
        (
            client.get,
            reverse(
                "customer:wishlists-remove-product",
                kwargs={"key": wishlist.key, "line_pk": line.pk},
            ),
        ),
        (
            client.post,
            reverse(
                "customer:wishlists-move-product-to-another",
                kwargs={"key": wishlist.key, "line_pk": line.pk, "to_key": other.key},
            ),
        ),
    ]
    for send, url in requests:
        response = send(url)
        assert response.status_code == 404
        assert_hides(response, hidden)
    assert WishListLine.objects.get(pk=line.pk).wishlist == wishlist


def test_a_stock_alert_for_a_hidden_listing_is_a_404_not_a_redirect_to_it(
    client, hidden, assert_hides
):
    url = reverse("customer:alert-create", kwargs={"pk": hidden.pk})
    response = client.get(url)
    assert response.status_code == 404
    assert_hides(response, hidden)
    posted = client.post(url, {"email": "someone@example.com"})
    assert posted.status_code == 404
    assert_hides(posted, hidden)
    assert not ProductAlert.objects.filter(product=hidden).exists()
