"""The admin sites we do not write (Oscar's dashboard, Wagtail's admin, Django's
admin) run inline scripts and styles: under their relaxed Content-Security-Policy
they still work, with no violation reported."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import DEFAULT_PASSWORD, StaffUserFactory, product_with_stock

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_use_the_dashboard_wagtail_and_django_admin_without_violations(
    page: Page, csp_violations
):
    staff = StaffUserFactory(is_superuser=True)
    product = product_with_stock(title="柞水黑木耳 250g")

    page.goto("/accounts/login/")
    page.locator('input[name="login-username"]').fill(staff.email)
    page.locator('input[name="login-password"]').fill(DEFAULT_PASSWORD)
    page.locator('form:has(input[name="login-username"]) button[type=submit]').click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    page.goto(f"/dashboard/catalogue/products/{product.pk}/")
    # Oscar's inline page script ran: its select2 widgets are on the form.
    expect(page.locator(".select2-container").first).to_be_visible()

    page.goto("/cms/pages/")
    expect(page.locator("main, #main").first).to_be_visible()

    page.goto("/django-admin/")
    expect(page.locator("#content")).to_be_visible()

    assert csp_violations == []

    # Sign out from the dashboard with its posted form.
    page.goto("/dashboard/")
    page.locator("#logout_form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    assert page.context.cookies() and not any(
        cookie["name"] == "sessionid" for cookie in page.context.cookies()
    )
