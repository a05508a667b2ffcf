"""Logging out and changing a wish list take a POST: a link or an image on
another site (a GET) changes nothing, and our pages post forms, not links."""

import re

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import StaffUserFactory, UserFactory, producer_with_user, product_with_stock

WishList = get_model("wishlists", "WishList")
WishListLine = get_model("wishlists", "Line")

pytestmark = pytest.mark.django_db

LOGOUT_URLS = ["customer:logout", "dashboard:logout"]


def signed_in(client):
    return client.session.get("_auth_user_id") is not None


@pytest.mark.parametrize("name", LOGOUT_URLS)
@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_a_get_to_logout_is_refused_and_keeps_the_user_signed_in(client, name, method):
    client.force_login(StaffUserFactory())
    response = getattr(client, method)(reverse(name))
    # Django's view answers OPTIONS with the allowed methods; Oscar's logged out.
    assert response.status_code == (
        200 if (name, method) == ("dashboard:logout", "options") else 405
    )
    assert signed_in(client)


@pytest.mark.parametrize("name", LOGOUT_URLS)
def test_a_post_to_logout_signs_the_user_out(client, name):
    client.force_login(StaffUserFactory())
    response = client.post(reverse(name))
    assert response.status_code == 302
    assert not signed_in(client)


def logout_forms(html: str, url: str) -> list[str]:
    return re.findall(rf'<form[^>]*action="{re.escape(url)}"[^>]*>.*?</form>', html, re.S)


@pytest.mark.parametrize(
    "page", ["home", "account", "workspace", "dashboard", "procurement", "error"]
)
def test_pages_sign_out_with_a_posted_form_never_a_link(client, page):
    producer, user = producer_with_user()
    user.is_staff = True
    user.save()
    client.force_login(user)
    url = {
        "home": "/",
        "account": reverse("customer:profile-view"),
        "workspace": reverse("producers:workspace-home", args=[producer.pk]),
        "dashboard": reverse("dashboard:index"),
        "procurement": reverse("procurement:home"),
        "error": "/no-such-page/",
    }[page]
    html = client.get(url).content.decode()
    logout_urls = [reverse(name) for name in LOGOUT_URLS]
    for logout in logout_urls:
        assert f'href="{logout}"' not in html
    forms = [form for logout in logout_urls for form in logout_forms(html, logout)]
    assert forms, f"no sign-out form on {url}"
    for form in forms:
        assert 'method="post"' in form
        assert 'name="csrfmiddlewaretoken"' in form


@pytest.fixture
def customer(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_a_get_to_add_to_a_wish_list_is_refused_and_adds_nothing(client, customer):
    product = product_with_stock()
    wishlist = WishList.objects.create(owner=customer, name="年货")
    urls = [
        reverse("customer:wishlists-add-product", kwargs={"product_pk": product.pk}),
        reverse(
            "customer:wishlists-add-product",
            kwargs={"key": wishlist.key, "product_pk": product.pk},
        ),
    ]
    for url in urls:
        assert client.get(url).status_code == 405
    assert not WishListLine.objects.exists()
    assert list(WishList.objects.all()) == [wishlist]

    assert client.post(urls[1]).status_code == 302
    assert wishlist.lines.get().product == product


def test_a_get_to_add_to_a_wish_list_creates_no_first_list(client, customer):
    product = product_with_stock()
    url = reverse("customer:wishlists-add-product", kwargs={"product_pk": product.pk})
    assert client.get(url).status_code == 405
    assert not WishList.objects.exists()


def test_a_get_to_move_a_wish_list_line_is_refused_and_moves_nothing(client, customer):
    product = product_with_stock()
    source = WishList.objects.create(owner=customer, name="年货")
    target = WishList.objects.create(owner=customer, name="送礼")
    line = source.lines.create(product=product, title=product.get_title())
    url = reverse(
        "customer:wishlists-move-product-to-another",
        kwargs={"key": source.key, "line_pk": line.pk, "to_key": target.key},
    )
    assert client.get(url).status_code == 405
    line.refresh_from_db()
    assert line.wishlist == source

    assert client.post(url).status_code == 302
    line.refresh_from_db()
    assert line.wishlist == target


def test_remove_and_delete_by_get_only_ask_for_confirmation(client, customer):
    product = product_with_stock()
    wishlist = WishList.objects.create(owner=customer, name="年货")
    line = wishlist.lines.create(product=product, title=product.get_title())
    for url in [
        reverse(
            "customer:wishlists-remove-product", kwargs={"key": wishlist.key, "line_pk": line.pk}
        ),
        reverse(
            "customer:wishlists-remove-product",
            kwargs={"key": wishlist.key, "product_pk": product.pk},
        ),
        reverse("customer:wishlists-delete", kwargs={"key": wishlist.key}),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert 'method="post"' in response.content.decode()
    assert WishListLine.objects.filter(pk=line.pk).exists()
    assert WishList.objects.filter(pk=wishlist.pk).exists()


def test_wish_list_pages_change_lists_with_posted_forms(client, customer):
    product = product_with_stock()
    wishlist = WishList.objects.create(owner=customer, name="年货")
    other = WishList.objects.create(owner=customer, name="送礼")
    line = wishlist.lines.create(product=product, title=product.get_title())

    move = reverse(
        "customer:wishlists-move-product-to-another",
        kwargs={"key": wishlist.key, "line_pk": line.pk, "to_key": other.key},
    )
    detail = client.get(reverse("customer:wishlists-detail", kwargs={"key": wishlist.key}))
    html = detail.content.decode()
    assert f'href="{move}"' not in html
    assert f'formaction="{move}"' in html
    assert re.search(r'<form id="wishlist_move_form" method="post"[^>]*>\s*<input[^>]*csrf', html)

    add = reverse(
        "customer:wishlists-add-product", kwargs={"key": other.key, "product_pk": product.pk}
    )
    page = client.get(product.get_absolute_url()).content.decode()
    assert f'href="{add}"' not in page
    assert re.search(rf'<form method="post" action="{re.escape(add)}"', page)
