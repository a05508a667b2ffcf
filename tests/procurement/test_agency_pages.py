"""What an agency clerk met on the plan and contract pages (issue 11, agencies)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from common.numbers import percent_of_ratio, percent_text, ratio_of_percent
from procurement.models import AnnualPlan, ContractStatus, PurchaseOrder
from producers.models import Certificate
from tests.factories import product_with_stock
from tests.factories.procurement import (
    AnnualPlanFactory,
    contract_in_state,
    draft_order,
    submitted_order,
)

pytestmark = pytest.mark.django_db


def _rendered_fields(html: str) -> dict[str, str]:
    """What a browser would post back unchanged: each input's value and each
    select's selected option."""
    fields = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        fields[name] = value
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        fields[name] = selected.group(1) if selected else ""
    for name in re.findall(r'<input[^>]*type="checkbox"[^>]*name="([^"]+)"[^>]*checked', html):
        fields[name] = "on"
    fields.pop("csrfmiddlewaretoken", None)
    return fields


@pytest.mark.parametrize("ratio", [Decimal("0.1500"), Decimal("0.1250"), Decimal("0.1000")])
def test_a_plan_saved_unchanged_with_a_reason_is_a_revision_not_an_error(
    client, team, settings, ratio
):
    settings.PROCUREMENT_PLAN_FILING_DEADLINE = (12, 31)
    year = datetime.date.today().year
    client.force_login(team.admin)
    url = reverse("procurement:plan", args=[team.organisation.pk, year])
    client.post(
        url,
        {
            "canteen_status": "own",
            "canteen_budget": "500000",
            "reserve_ratio_percent": str(percent_of_ratio(ratio)),
        },
    )
    assert AnnualPlan.objects.get().reserve_ratio == ratio

    fields = _rendered_fields(client.get(url).content.decode())
    assert fields["reserve_ratio_percent"] == str(percent_of_ratio(ratio))
    response = client.post(url, {**fields, "reason": "核对后原样保存"})

    assert response.status_code == 302, response.context["form"].errors
    plan = AnnualPlan.objects.get()
    assert (plan.reserve_ratio, plan.revisions.count()) == (ratio, 2)


def test_the_plan_page_states_the_minimum_as_a_percentage(client, team, settings):
    settings.PROCUREMENT_PLAN_FILING_DEADLINE = (12, 31)
    client.force_login(team.admin)
    html = client.get(
        reverse("procurement:plan", args=[team.organisation.pk, datetime.date.today().year])
    ).content.decode()
    assert "最低预留比例为 10%" in html
    assert "0.10" not in html


def test_after_the_deadline_the_plan_is_shown_read_only_without_a_save_button(
    client, team, settings
):
    settings.PROCUREMENT_PLAN_FILING_DEADLINE = (1, 1)
    last_year = datetime.date.today().year - 1
    client.force_login(team.admin)
    response = client.get(reverse("procurement:plan", args=[team.organisation.pk, last_year]))
    html = response.content.decode()
    assert response.context["filing_open"] is False
    assert "保存修订" not in html and "填报</button>" not in html
    assert "已过" in html
    assert all(field.disabled for field in response.context["form"].fields.values())


def test_contract_pages_show_the_late_interest_rate_per_day_as_a_percentage(
    client, team, product, seller
):
    contract = contract_in_state(team, product, 2, ContractStatus.CONFIRMED, seller=seller)
    client.force_login(team.purchaser)
    for name in ("procurement:contract-detail", "procurement:contract-print"):
        html = client.get(reverse(name, args=[contract.pk])).content.decode()
        assert percent_text(contract.daily_interest_rate) in html
        assert str(contract.daily_interest_rate) not in html


@pytest.mark.parametrize(
    ("ratio", "percent", "text"),
    [
        (Decimal("0.1500"), Decimal("15.00"), "15%"),
        (Decimal("0.1250"), Decimal("12.50"), "12.5%"),
        (Decimal("0.000500"), Decimal("0.05"), "0.05%"),
    ],
)
def test_ratios_and_percentages_convert_both_ways(ratio, percent, text):
    assert percent_of_ratio(ratio) == percent
    assert ratio_of_percent(percent) == ratio.quantize(Decimal("0.0001"))
    assert percent_text(ratio) == text


def test_a_new_draft_orders_history_says_it_was_created_not_approved(client, team, product):
    client.force_login(team.purchaser)
    client.post(
        reverse("procurement:orders", args=[team.organisation.pk]),
        {
            "delivery_address": "陕西省西安市未央区凤城八路 1 号 机关食堂",
            "requested_delivery_date": (
                datetime.date.today() + datetime.timedelta(days=10)
            ).isoformat(),
            "payment_terms": "goods_first",
        },
    )
    order = team.organisation.orders.get()
    html = client.get(reverse("procurement:order-detail", args=[order.pk])).content.decode()
    history = html[html.index('id="transitions"') :]
    assert "创建采购单" in history
    assert "审批通过" not in history


# --- the approver decides with the figures in front of them ---------------------------


def test_the_approver_sees_amounts_total_in_capitals_stock_and_the_target(
    client, team, product, seller, django_assert_max_num_queries
):
    AnnualPlanFactory(
        organisation=team.organisation,
        year=datetime.date.today().year,
        canteen_budget=Decimal("100000"),
        reserve_ratio=Decimal("0.10"),
    )
    assert AnnualPlan.objects.count() == 1
    contract_in_state(team, product, 20, ContractStatus.ACCEPTED, seller=seller)  # 798.00
    order = submitted_order(team, [(product, 10)])  # 10 × 39.90 = 399.00
    client.force_login(team.approver)

    with django_assert_max_num_queries(40):
        response = client.get(reverse("procurement:order-detail", args=[order.pk]))
    html = response.content.decode()
    summary = response.context["summary"]
    assert summary.total == Decimal("399.00")
    assert [f.amount for f in summary.lines] == [Decimal("399.00")]
    assert "¥399.00" in html and "叁佰玖拾玖元整" in html
    # 10,000 target − 798 counted − 399 this order.
    assert summary.remaining_after == Decimal("8803.00")
    assert "¥8,803.00" in html
    # Nothing is chosen for the approver.
    assert (
        'name="decision"' in html and "checked" not in html[html.index('name="decision"') - 300 :]
    )


def test_a_decision_without_a_choice_changes_nothing(client, team, product):
    order = submitted_order(team, [(product, 10)])
    client.force_login(team.approver)
    response = client.post(
        reverse("procurement:order-detail", args=[order.pk]), {"action": "decide", "reason": ""}
    )
    assert response.status_code == 200
    assert response.context["decision_form"].errors["decision"]
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.SUBMITTED


def test_lines_above_available_stock_are_flagged_to_the_approver(client, team):
    scarce = product_with_stock(stock=160)
    order = submitted_order(team, [(scarce, 300)], preorder=True)
    client.force_login(team.approver)
    response = client.get(reverse("procurement:order-detail", args=[order.pk]))
    (figures,) = response.context["summary"].lines
    assert (figures.available, figures.short) == (160, True)
    assert "预订：供应商补足库存后确认" in response.content.decode()


def test_the_procurement_catalogue_shows_origin_county_and_certificates(client, team, product):
    certificate = Certificate.objects.create(
        producer=product.producer,
        kind=Certificate.Kind.choices[0][0],
        number="LB-2026-0001",
        issuer="中国绿色食品发展中心",
        valid_from=datetime.date.today() - datetime.timedelta(days=30),
        valid_until=datetime.date.today() + datetime.timedelta(days=300),
    )
    certificate.products.add(product)
    client.force_login(team.purchaser)
    client.post(
        reverse("procurement:orders", args=[team.organisation.pk]),
        {
            "delivery_address": "陕西省西安市未央区凤城八路 1 号 机关食堂",
            "requested_delivery_date": (
                datetime.date.today() + datetime.timedelta(days=10)
            ).isoformat(),
            "payment_terms": "goods_first",
        },
    )
    order = team.organisation.orders.get()
    html = client.get(reverse("procurement:order-detail", args=[order.pk])).content.decode()
    catalogue = html[html.index('id="catalogue"') :]
    assert product.origin_county.full_name in catalogue
    assert certificate.get_kind_display() in catalogue


# --- stock: refused at submission unless a pre-order; rejected goods come back --------


def test_an_order_above_available_stock_is_refused_at_submission(team):
    from procurement import services
    from procurement.exceptions import OrderStockShort

    scarce = product_with_stock(stock=160)
    order = draft_order(team, [(scarce, 300)])
    with pytest.raises(OrderStockShort) as excinfo:
        services.purchase_order_submit(order=order, actor=team.purchaser)
    assert excinfo.value.code == "order_stock_short"
    assert "160" in str(excinfo.value)
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.DRAFT


def test_a_pre_order_is_submitted_and_the_producer_confirms_once_restocked(team, product, seller):
    from partner.exceptions import InsufficientStock
    from procurement import services

    scarce = product_with_stock(stock=160, producer=product.producer)
    record = scarce.stockrecords.get()
    order = submitted_order(team, [(scarce, 300)], preorder=True)
    services.purchase_order_decide(order=order, actor=team.approver, approve=True)
    contract = order.contracts.get()
    with pytest.raises(InsufficientStock):
        services.contract_confirm(contract=contract, actor=seller)
    type(record).objects.filter(pk=record.pk).update(num_in_stock=300)
    contract = services.contract_confirm(contract=contract, actor=seller)
    assert contract.status == ContractStatus.CONFIRMED
    record.refresh_from_db()
    assert record.num_allocated == 300


def test_rejected_quantities_at_acceptance_go_back_to_stock(team, product, seller):
    from procurement import services

    record = product.stockrecords.get()
    before = record.num_in_stock
    contract = contract_in_state(team, product, 10, ContractStatus.SHIPPED, seller=seller)
    record.refresh_from_db()
    assert record.num_in_stock == before - 10
    line = contract.lines.get()
    services.contract_accept(
        contract=contract,
        actor=team.purchaser,
        lines=[services.LineAcceptance(line_id=line.pk, received=10, accepted=7)],
        rating=3,
    )
    record.refresh_from_db()
    assert record.num_in_stock == before - 7


def test_the_suppliers_contract_page_has_address_date_and_contact(client, team, product, seller):
    contract = contract_in_state(team, product, 2, ContractStatus.AWAITING, seller=seller)
    client.force_login(seller)
    html = client.get(reverse("procurement:contract-detail", args=[contract.pk])).content.decode()
    assert contract.order.delivery_address in html
    assert contract.order.requested_delivery_date.isoformat() in html
    assert team.purchaser.email in html


def test_the_printed_contract_has_capitals_origins_signing_date_and_clauses(
    client, team, product, seller
):
    contract = contract_in_state(team, product, 10, ContractStatus.CONFIRMED, seller=seller)
    client.force_login(team.purchaser)
    html = client.get(reverse("procurement:contract-print", args=[contract.pk])).content.decode()
    assert "叁佰玖拾玖元整" in html  # 10 × 39.90
    assert product.origin_county.full_name in html
    today = datetime.date.today()
    assert f"{today.year}年{today.month}月{today.day}日" in html
    assert "验收" in html and "争议解决" in html
