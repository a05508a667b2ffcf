"""Platform staff's pages in a real browser (issue 11, platform staff)."""

import re

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import Page, expect

from catalogue.models import ReviewStatus
from tests.factories import StaffUserFactory, product_with_stock
from tests.support.browser import sign_in

Product = get_model("catalogue", "Product")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_reviewer_rejects_a_listing_by_clicking_the_reject_option(page: Page):
    product = product_with_stock(title="柞水黑木耳 250g")
    Product.objects.filter(pk=product.pk).update(review_status=ReviewStatus.PENDING)
    sign_in(page, StaffUserFactory())
    page.goto(f"/catalogue/review/{product.pk}/")

    reject = page.get_by_label("驳回", exact=True)
    reason = page.locator('textarea[name="reason"]')
    # A radio looks like a radio (not a full-width text box) and both options
    # come before the explanation, where a reviewer looks for them.
    assert reject.bounding_box()["width"] < 40
    assert reject.bounding_box()["y"] < reason.bounding_box()["y"]

    page.get_by_text("驳回", exact=True).click()  # the label, as people click it
    expect(reject).to_be_checked()
    reason.fill("产地与许可产地不符")
    page.get_by_role("button", name="提交审核结论").click()

    expect(page.locator(".alert-success").first).to_contain_text("审核结果已保存")
    product.refresh_from_db()
    assert product.review_status == ReviewStatus.REJECTED


def test_staff_open_review_pages_from_the_one_dashboard_menu(page: Page, csp_violations):
    product = product_with_stock(title="柞水黑木耳 250g")
    Product.objects.filter(pk=product.pk).update(review_status=ReviewStatus.PENDING)
    sign_in(page, StaffUserFactory(is_superuser=False))
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    menu = page.locator("#bottom_nav_bar")
    menu.get_by_role("button", name="生产主体").click()
    menu.get_by_role("link", name="商品审核").click()
    expect(page).to_have_url(re.compile(r"/catalogue/review/$"))
    expect(page.locator("h1")).to_have_text("商品审核")
    expect(page.get_by_role("cell", name="柞水黑木耳 250g")).to_be_visible()
    # The dashboard layout, not the shop's: no basket in sight.
    expect(page.locator(".basket-mini")).to_have_count(0)

    page.locator("#bottom_nav_bar").get_by_role("button", name="单位采购").click()
    page.locator("#bottom_nav_bar").get_by_role("link", name="采购进度").click()
    expect(page).to_have_url(re.compile(r"/procurement/review/progress/$"))
    expect(page.locator("#units-progress")).to_be_visible()
    assert csp_violations == []
