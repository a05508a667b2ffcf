"""A confirmed contract ended by agreement in a real browser: the purchaser
proposes it with a reason, the supplier agrees, the contract shows as ended and
its stock is free again."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from procurement.models import CancellationStatus, ContractStatus
from tests.factories import product_with_stock
from tests.factories.procurement import Team, contract_in_state, producer_user
from tests.support.browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_purchaser_proposes_ending_a_contract_and_the_supplier_agrees(page: Page):
    team = Team()
    product = product_with_stock(price=Decimal("25.00"), stock=100, title="紫阳富硒茶 250g")
    seller = producer_user(product.producer)
    contract = contract_in_state(team, product, 40, ContractStatus.CONFIRMED, seller=seller)
    record = product.stockrecords.get()
    assert record.num_allocated == 40

    sign_in(page, team.purchaser)
    page.goto(f"/procurement/contracts/{contract.pk}/")
    expect(page.locator("#contract-status")).to_have_text("已确认")
    page.locator('textarea[name="cancel-reason"]').fill("食堂改造，暂停供餐三个月")
    page.locator("#propose-cancellation-button").click()
    expect(page.locator("#pending-cancellation")).to_contain_text("食堂改造，暂停供餐三个月")
    expect(page.locator("#agree-cancellation")).to_have_count(0)

    sign_in(page, seller)
    page.goto(f"/procurement/contracts/{contract.pk}/")
    expect(page.locator("#pending-cancellation")).to_contain_text("食堂改造，暂停供餐三个月")
    expect(page.locator("#ship-contract")).to_have_count(0)
    page.locator('textarea[name="cancel_decision-note"]').fill("同意，货物留作零售")
    page.locator("#agree-cancellation").click()
    expect(page.locator("#contract-status")).to_have_text("已协议解除")
    expect(page.locator("#pending-cancellation")).to_have_count(0)
    expect(page.locator("#transitions")).to_contain_text("同意协议解除")
    expect(page.locator("#transitions")).to_contain_text("同意，货物留作零售")

    contract.refresh_from_db()
    assert contract.status == ContractStatus.CANCELLED
    assert contract.cancellations.get().status == CancellationStatus.AGREED
    record.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated) == (100, 0)
