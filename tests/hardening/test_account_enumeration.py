"""Nobody learns from the storefront whether an address has an account
(issue 10, item 3): registering, signing in and checking out answer a known
and an unknown address alike, in what they show and in the work they do."""

import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory, product_with_stock

pytestmark = pytest.mark.django_db

User = get_user_model()
KNOWN = "owner@example.com"
NEW_PASSWORD = "Qinling-muer-2026"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def owner(db):
    return UserFactory(email=KNOWN)


def register_on_its_page(client, email):
    return client.post(
        reverse("customer:register"),
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def register_beside_the_login_form(client, email):
    return client.post(
        reverse("customer:login"),
        {
            "registration-email": email,
            "registration-password1": NEW_PASSWORD,
            "registration-password2": NEW_PASSWORD,
            "registration_submit": "1",
        },
    )


def seen(client, response) -> tuple:
    """What the browser is shown: status, where it is sent, and that page."""
    location = response.get("Location", "")
    page = client.get(location) if location else response
    return response.status_code, location, CSRF.sub("", page.content.decode())


def count_hashing(action) -> int:
    calls = []
    encode = MD5PasswordHasher.encode

    def counted(self, password, salt):
        calls.append(password)
        return encode(self, password, salt)

    with mock.patch.object(MD5PasswordHasher, "encode", counted):
        action()
    return len(calls)


@pytest.mark.parametrize("register", [register_on_its_page, register_beside_the_login_form])
def test_registering_a_known_and_a_new_address_look_the_same(register, owner):
    new, known = Client(), Client()
    assert seen(new, register(new, "newcomer@example.com")) == seen(known, register(known, KNOWN))
    assert count_hashing(lambda: register(Client(), "other@example.com")) == count_hashing(
        lambda: register(Client(), KNOWN)
    )


def test_the_owner_of_a_known_address_is_told_and_their_account_is_unchanged(
    owner, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = register_on_its_page(client, KNOWN.upper())
    assert response.status_code == 302
    assert User.objects.filter(email__iexact=KNOWN).count() == 1
    owner.refresh_from_db()
    assert owner.check_password(DEFAULT_PASSWORD)
    [mail] = mailoutbox
    assert mail.to == [KNOWN]
    assert "已经有账户" in mail.body
    assert reverse("password-reset") in mail.body
    assert "/activate/" not in mail.body


def activation_link(mail) -> str:
    return re.search(r"https?://[^/\s]+(/\S*/activate/\S+/)", mail.body)[1]


def login(client, email, password):
    client.post(
        reverse("customer:login"),
        {"login-username": email, "login-password": password, "login_submit": "1"},
    )
    return "_auth_user_id" in client.session


def test_a_new_address_gets_an_activation_link_and_then_signs_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = register_on_its_page(client, "Newcomer@Example.com")
    assert response["Location"] == reverse("customer:register-sent")
    user = User.objects.get(email__iexact="newcomer@example.com")
    assert not user.is_active
    assert not login(client, "newcomer@example.com", NEW_PASSWORD)

    [mail] = mailoutbox
    assert mail.to == [user.email]
    link = activation_link(mail)
    response = client.get(link)
    assert response["Location"] == reverse("customer:login")
    assert login(client, "newcomer@example.com", NEW_PASSWORD)

    client.logout()
    assert client.get(link)["Location"] == reverse("customer:register")  # used up
    assert client.get(link.replace("/activate/", "/activate/x")).status_code in (302, 404)


def test_registering_a_pending_address_again_sends_a_new_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register_on_its_page(client, "later@example.com")
        register_on_its_page(client, "later@example.com")
    assert User.objects.filter(email="later@example.com").count() == 1
    assert len(mailoutbox) == 2
    client.get(activation_link(mailoutbox[1]))
    assert User.objects.get(email="later@example.com").is_active


def test_a_deactivated_account_is_not_reactivated_by_registering(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    blocked = UserFactory(is_active=False, last_login="2026-01-05T08:00:00+08:00")
    with django_capture_on_commit_callbacks(execute=True):
        register_on_its_page(client, blocked.email)
    [mail] = mailoutbox
    assert "/activate/" not in mail.body


def test_a_login_hashes_alike_for_an_unknown_address_and_a_wrong_password(owner):
    def attempt(email):
        return lambda: Client().post(
            reverse("customer:login"),
            {"login-username": email, "login-password": "wrong-password", "login_submit": "1"},
        )

    unknown = count_hashing(attempt("nobody@example.com"))
    known = count_hashing(attempt(KNOWN))
    assert unknown == known >= 1


def test_checkout_answers_a_known_and_a_new_address_alike(owner):
    product = product_with_stock()
    answers = []
    for email in ("guest@example.com", KNOWN):
        for option in ("anonymous", "new"):
            client = Client()
            client.post(reverse("basket:add", args=[product.pk]), {"quantity": 1})
            response = client.post(
                reverse("checkout:index"), {"username": email, "options": option}
            )
            location = response.get("Location", "").replace(email.replace("@", "%40"), "EMAIL")
            answers.append((option, response.status_code, location))
    assert answers[:2] == answers[2:]
    assert all(status == 302 for _option, status, _location in answers)
