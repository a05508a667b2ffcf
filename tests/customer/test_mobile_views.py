"""Signing up, in and binding a number with an SMS code on the storefront,
without JavaScript (plain form posts) and with it (JSON answers)."""

import pytest
from django.urls import reverse

from customer.models import SmsCode, UserMobile
from tests.factories import UserFactory, UserMobileFactory

pytestmark = pytest.mark.django_db

PHONE = "13800138000"


def send_code(client, url, phone=PHONE, **extra):
    return client.post(url, {"phone": phone, "send_code": "1"}, **extra)


def verify(client, url, code, phone=PHONE, **fields):
    return client.post(url, {"phone": phone, "code": code, "verify": "1", **fields})


def is_logged_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def test_the_login_page_offers_the_mobile_login_next_to_the_email_login(client):
    page = client.get(reverse("customer:login")).content.decode()
    assert 'id="login_form"' in page
    assert "手机验证码登录" in page
    assert f'action="{reverse("customer:mobile-login")}"' in page
    assert 'data-behaviours="sms-send"' in page
    assert "marketplace/sms-code.js" in page


def test_sending_a_code_without_javascript_shows_the_page_again_with_the_code_field(
    client, sms_outbox
):
    url = reverse("customer:mobile-login")
    page = client.get(url).content.decode()
    assert "data-sms-code-part hidden" in page
    response = send_code(client, url, phone="+86 138 0013 8000")
    page = response.content.decode()
    assert response.status_code == 200
    assert "验证码已发送到 138****8000" in page
    assert "data-sms-code-part hidden" not in page
    assert 'value="13800138000"' in page
    assert [m.phone for m in sms_outbox] == [PHONE]


def test_sending_a_code_with_javascript_answers_json(client, sms_outbox):
    url = reverse("customer:mobile-login")
    answer = send_code(client, url, HTTP_ACCEPT="application/json").json()
    assert answer["sent"] is True and answer["wait"] == 60
    again = send_code(client, url, HTTP_ACCEPT="application/json")
    assert again.status_code == 400
    assert "秒后再试" in again.json()["message"]
    assert len(sms_outbox) == 1


def test_a_number_that_is_not_a_mainland_mobile_gets_a_message_and_no_code(client, sms_outbox):
    response = send_code(client, reverse("customer:mobile-login"), phone="12345")
    assert "请输入有效的中国大陆手机号" in response.content.decode()
    assert not sms_outbox and not SmsCode.objects.exists()


def test_sign_up_by_mobile_creates_an_account_without_email_and_signs_in(client, last_code):
    url = reverse("customer:mobile-register")
    send_code(client, url)
    response = verify(client, url, last_code())
    assert response.status_code == 302
    assert response["Location"] == "/"
    mobile = UserMobile.objects.select_related("user").get(number=PHONE)
    assert mobile.user.email == ""
    assert not mobile.user.has_usable_password()
    assert is_logged_in_as(client, mobile.user)


def test_sign_in_by_mobile_lands_on_the_role_home_or_a_safe_next_page(client, last_code):
    mobile = UserMobileFactory(number=PHONE, user__is_staff=True)
    url = reverse("customer:mobile-login")
    send_code(client, url)
    response = verify(client, url, last_code())
    assert response["Location"] == "/dashboard/"
    assert is_logged_in_as(client, mobile.user)


def test_sign_in_by_mobile_follows_a_safe_next_page_only(client, last_code):
    UserMobileFactory(number=PHONE)
    url = reverse("customer:mobile-login")
    send_code(client, url)
    response = verify(client, url, last_code(), redirect_url="https://evil.example.com/")
    assert response["Location"] == "/"


def test_a_wrong_code_says_so_and_signs_nobody_in(client, last_code):
    mobile = UserMobileFactory(number=PHONE)
    url = reverse("customer:mobile-login")
    send_code(client, url)
    wrong = "000000" if last_code() != "000000" else "111111"
    response = verify(client, url, wrong)
    page = response.content.decode()
    assert response.status_code == 200
    assert "验证码不正确，还可以再试 4 次" in page
    assert not is_logged_in_as(client, mobile.user)


def test_signing_in_with_a_number_without_account_points_to_sign_up(client, last_code):
    url = reverse("customer:mobile-login")
    send_code(client, url)
    page = verify(client, url, last_code()).content.decode()
    assert "这个手机号还没有注册账户" in page
    assert "_auth_user_id" not in client.session
    assert not UserMobile.objects.exists()


def test_binding_a_number_to_a_signed_in_account(client, last_code):
    user = UserFactory()
    client.force_login(user)
    url = reverse("customer:mobile-bind")
    send_code(client, url)
    response = verify(client, url, last_code())
    assert response["Location"] == reverse("customer:profile-view")
    assert user.mobile.number == PHONE


def test_someone_elses_number_cannot_be_bound(client, last_code):
    owner = UserMobileFactory(number=PHONE).user
    intruder = UserFactory()
    client.force_login(intruder)
    url = reverse("customer:mobile-bind")
    send_code(client, url)
    page = verify(client, url, last_code()).content.decode()
    assert "这个手机号已绑定其他账户" in page
    assert UserMobile.objects.get(number=PHONE).user == owner
    assert not UserMobile.objects.filter(user=intruder).exists()


def test_binding_needs_a_signed_in_account(client, sms_outbox):
    response = send_code(client, reverse("customer:mobile-bind"))
    assert response.status_code == 302
    assert not sms_outbox


def test_the_profile_shows_the_mobile_or_offers_to_bind_one(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("customer:profile-view")).content.decode()
    assert reverse("customer:mobile-bind") in page

    UserMobileFactory(user=user, number="13800138000")
    page = client.get(reverse("customer:profile-view")).content.decode()
    assert "138 0013 8000" in page
    assert reverse("customer:mobile-bind") not in page


def test_a_mobile_user_saves_the_profile_without_an_email(client):
    mobile = UserMobileFactory(user=UserFactory(email=""))
    client.force_login(mobile.user)

    response = client.post(
        reverse("customer:profile-update"),
        {"first_name": "李", "last_name": "明", "email": ""},
    )

    assert response.status_code == 302
    mobile.user.refresh_from_db()
    assert mobile.user.first_name == "李" and mobile.user.email == ""


def test_an_email_user_still_needs_an_email_on_the_profile(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("customer:profile-update"),
        {"first_name": "李", "last_name": "明", "email": ""},
    )

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    user.refresh_from_db()
    assert user.email
