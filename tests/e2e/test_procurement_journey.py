"""A unit's purchase from order to acceptance in a real browser: the purchaser
builds a bulk order from the catalogue, another member approves it, the
producer confirms and ships its contract, the purchaser accepts the delivery
and sees it counted on the dashboard."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from procurement.models import Contract, PurchaseOrder
from tests.factories import product_with_stock
from tests.factories.procurement import Team, producer_user
from tests.support.browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_unit_orders_in_bulk_gets_approval_and_accepts_the_delivery(page: Page):
    team = Team()
    product = product_with_stock(price=Decimal("25.00"), stock=1000, title="柞水木耳 500g 食堂装")
    seller = producer_user(product.producer)

    sign_in(page, team.purchaser)
    page.goto("/procurement/")
    page.get_by_role("link", name=team.organisation.name).click()
    page.locator(".nav-tabs").get_by_role("link", name="采购单").click()
    page.locator('textarea[name="delivery_address"]').fill("陕西省西安市新城区 机关食堂")
    delivery = timezone.localdate() + datetime.timedelta(days=7)
    page.locator('input[name="requested_delivery_date"]').fill(delivery.isoformat())
    page.locator('select[name="payment_terms"]').select_option("goods_first")
    page.get_by_role("button", name="新建并选择商品").click()

    search = page.locator("#catalogue-search")
    search.locator('input[name="q"]').fill("柞水木耳")
    search.get_by_role("button").click()
    row = page.locator("#catalogue tr", has_text=product.title)
    row.locator('input[name="quantity"]').fill("200")
    row.get_by_role("button", name="加入").click()
    expect(page.locator("#order-lines")).to_contain_text(product.title)
    page.locator("#submit-order").click()
    expect(page.locator("h1")).to_contain_text("待审批")
    order = PurchaseOrder.objects.get()

    sign_in(page, team.approver)
    page.goto(f"/procurement/orders/{order.pk}/")
    # The approver sees the total in figures and capitals, and must choose.
    expect(page.locator("#order-total-words")).to_contain_text("元")
    expect(page.get_by_label("同意")).not_to_be_checked()
    page.get_by_label("同意").check()
    page.locator("#decide-order").click()
    expect(page.locator("h1")).to_contain_text("已审批")
    contract = Contract.objects.get()

    sign_in(page, seller)
    page.goto("/procurement/supplier/contracts/")
    page.get_by_role("link", name=contract.number).click()
    page.locator("#confirm-contract").click()
    expect(page.locator("#contract-status")).to_have_text("已确认")
    page.locator('input[name="ship-carrier"]').fill("中国邮政 EMS")
    page.locator('input[name="ship-tracking_number"]').fill("EMS123456789")
    page.locator("#ship-contract").click()
    expect(page.locator("#contract-status")).to_have_text("已发货")

    sign_in(page, team.purchaser)
    page.goto(f"/procurement/units/{team.organisation.pk}/")
    page.locator("#contracts-to-accept").get_by_role("link", name=contract.number).click()
    page.locator("#accept-contract").click()
    page.locator('input[name="lines-0-accepted"]').fill("190")
    page.locator('select[name="rating"]').select_option("4")
    page.locator("#submit-acceptance").click()
    expect(page.locator("#contract-status")).to_have_text("已验收")
    expect(page.locator("#accepted-amount")).to_contain_text("4,750.00")

    page.goto(f"/procurement/units/{team.organisation.pk}/")
    expect(page.locator('[data-figure="counted"]')).to_contain_text("4,750.00")
    contract.refresh_from_db()
    assert contract.accepted_amount == Decimal("4750.00")
