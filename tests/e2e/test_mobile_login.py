"""A shopper signs in with a mobile number and an SMS code in a real browser:
the login page's "获取验证码" sends the code without leaving the page (the
locmem backend keeps it), the code field appears, and the code signs in."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserMobileFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_shopper_signs_in_by_phone_from_the_login_page(page, sms_outbox, csp_violations):
    UserMobileFactory(number="13800138000")
    page.goto("/accounts/login/")
    form = page.locator(".mkt-mobile-login form")
    expect(form.locator("[data-sms-code-part]")).to_be_hidden()
    form.locator('input[name="phone"]').fill("138 0013 8000")
    form.get_by_role("button", name="获取验证码").click()

    expect(form.locator("[data-sms-notice]")).to_contain_text("验证码已发送到 138****8000")
    expect(form.locator("[data-sms-code-part]")).to_be_visible()
    expect(form.locator('[data-behaviours="sms-send"]')).to_be_disabled()
    assert [m.phone for m in sms_outbox] == ["13800138000"]
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))

    form.locator('input[name="code"]').fill(sms_outbox[-1].template_params["code"])
    form.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(".alert-success").first).to_contain_text("欢迎回来")
    assert csp_violations == []
