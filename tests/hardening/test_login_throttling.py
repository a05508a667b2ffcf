"""Wrong passwords lock an account and an address out of every login form
(issue 10, item 3): 30 tries in 15 s, then the right one, used to log in."""

import pytest
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, StaffUserFactory, UserFactory, UserMobileFactory

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 5


def storefront_login(client, email, password, **headers):
    return client.post(
        reverse("customer:login"),
        {"login-username": email, "login-password": password, "login_submit": "1"},
        **headers,
    )


def admin_login(client, username, password):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/django-admin/"},
    )


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_after_too_many_wrong_ones_is_refused_on_the_storefront(client):
    user = UserFactory()
    for _ in range(30):
        storefront_login(client, user.email, WRONG)
    response = storefront_login(client, user.email, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "登录已暂停" in response.content.decode()
    assert not is_logged_in(client)


def test_the_right_password_after_too_many_wrong_ones_is_refused_at_the_django_admin(client):
    staff = StaffUserFactory(is_superuser=True)
    for _ in range(30):
        admin_login(client, staff.username, WRONG)
    admin_login(client, staff.username, DEFAULT_PASSWORD)
    assert not is_logged_in(client)


def test_a_few_mistakes_do_not_lock_anyone_out(client):
    user = UserFactory()
    for _ in range(3):
        storefront_login(client, user.email, WRONG)
    storefront_login(client, user.email, DEFAULT_PASSWORD)
    assert is_logged_in(client)


def test_one_address_trying_many_accounts_is_locked_out_for_all_of_them(client):
    for _ in range(6):
        storefront_login(client, UserFactory().email, WRONG)
    victim = UserFactory()
    storefront_login(client, victim.email, DEFAULT_PASSWORD)
    assert not is_logged_in(client)


def test_a_forged_forwarded_for_header_does_not_escape_the_address_lockout(client):
    for n in range(6):
        storefront_login(client, UserFactory().email, WRONG, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    victim = UserFactory()
    storefront_login(client, victim.email, DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR="10.0.0.99")
    assert not is_logged_in(client)


def test_behind_a_trusted_proxy_each_client_address_counts_on_its_own(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(6):
        storefront_login(client, UserFactory().email, WRONG, HTTP_X_FORWARDED_FOR="203.0.113.7")
    other_client = UserFactory()
    storefront_login(
        client, other_client.email, DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2"
    )
    assert is_logged_in(client)


def mobile_login(client, code, phone="13800138000"):
    return client.post(
        reverse("customer:mobile-login"), {"phone": phone, "code": code, "verify": "1"}
    )


def test_wrong_sms_codes_lock_the_number_out_like_wrong_passwords(client, settings, sms_outbox):
    settings.SMS_CODE_RESEND_SECONDS = 0
    mobile = UserMobileFactory(number="13800138000")
    url = reverse("customer:mobile-login")
    for _ in range(6):
        client.post(url, {"phone": mobile.number, "send_code": "1"})
        mobile_login(client, "abcdef")
    client.post(url, {"phone": mobile.number, "send_code": "1"})
    code = sms_outbox[-1].template_params["code"]
    response = mobile_login(client, code)
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_an_address_locked_out_by_wrong_passwords_cannot_sign_in_by_sms_code(client, sms_outbox):
    for _ in range(6):
        storefront_login(client, UserFactory().email, WRONG)
    mobile = UserMobileFactory(number="13800138000")
    client.post(reverse("customer:mobile-login"), {"phone": mobile.number, "send_code": "1"})
    response = mobile_login(client, sms_outbox[-1].template_params["code"])
    assert response.status_code == 429
    assert not is_logged_in(client)
