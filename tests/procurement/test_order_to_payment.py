import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from partner.exceptions import InsufficientStock
from procurement import services
from procurement.exceptions import (
    AcceptanceError,
    IllegalTransition,
    OrderError,
    ProcurementPermissionDenied,
    SegregationOfDuties,
    SettlementError,
)
from procurement.models import (
    PAYMENT_DAYS_MAX,
    PAYMENT_DAYS_MIN,
    Contract,
    ContractStatus,
    PaymentTerms,
    PriceBreak,
    PurchaseOrder,
)
from procurement.rules import contract_may_record_payment
from procurement.selectors import contract_late_interest
from procurement.workflows import ORDER_WORKFLOW
from tests.factories import product_with_stock
from tests.factories.procurement import (
    approved_contracts,
    contract_in_state,
    evidence_file,
    member,
    producer_user,
    submitted_order,
)

StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db


def test_unit_price_is_locked_at_submit_with_the_quantity_price_break(team, product):
    record = product.stockrecords.get()
    PriceBreak.objects.create(stockrecord=record, min_quantity=100, unit_price=Decimal("35.00"))
    PriceBreak.objects.create(stockrecord=record, min_quantity=500, unit_price=Decimal("32.00"))
    order = submitted_order(team, [(product, 200)])
    line = order.lines.get()
    assert line.unit_price == Decimal("35.00")

    # Later price changes do not touch the submitted order.
    StockRecord.objects.filter(pk=record.pk).update(price=Decimal("99.00"))
    PriceBreak.objects.filter(stockrecord=record).update(unit_price=Decimal("1.00"))
    line.refresh_from_db()
    assert line.unit_price == Decimal("35.00")


def test_small_quantities_pay_the_listed_price(team, product):
    PriceBreak.objects.create(
        stockrecord=product.stockrecords.get(), min_quantity=100, unit_price=Decimal("35.00")
    )
    order = submitted_order(team, [(product, 99)])
    assert order.lines.get().unit_price == Decimal("39.90")


def test_purchaser_cannot_approve_own_order_even_with_the_approver_role(team, product):
    member(team.organisation, "approver", user=team.purchaser)
    order = submitted_order(team, [(product, 10)])
    with pytest.raises(SegregationOfDuties):
        services.purchase_order_decide(order=order, actor=team.purchaser, approve=True)
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.SUBMITTED
    assert not order.contracts.exists()


def test_approval_splits_the_order_into_one_numbered_contract_per_producer(team):
    first, second = product_with_stock(stock=50), product_with_stock(stock=50)
    same_producer = product_with_stock(stock=50, producer=first.producer)
    contracts = approved_contracts(team, [(first, 10), (second, 5), (same_producer, 2)])
    assert len(contracts) == 2
    assert len({c.number for c in contracts}) == 2
    by_producer = {c.producer_id: c for c in contracts}
    assert by_producer[first.producer_id].lines.count() == 2
    assert by_producer[first.producer_id].goods_amount == Decimal("39.90") * 12
    assert all(c.status == ContractStatus.AWAITING for c in contracts)
    assert all(c.transitions.count() == 1 for c in contracts)


def test_rejecting_an_order_needs_a_reason_and_creates_no_contract(team, product):
    order = submitted_order(team, [(product, 10)])
    with pytest.raises(OrderError) as excinfo:
        services.purchase_order_decide(order=order, actor=team.approver, approve=False)
    assert excinfo.value.code == "order_reject_reason_required"
    services.purchase_order_decide(order=order, actor=team.approver, approve=False, reason="超预算")
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.REJECTED
    assert not order.contracts.exists()


def test_full_path_from_order_to_settled_payment(team, product, seller):
    (contract,) = approved_contracts(team, [(product, 100)])
    amendment = services.contract_amendment_propose(
        contract=contract, actor=seller, value=Decimal("120"), reason="冷链运输"
    )
    services.contract_amendment_decide(amendment=amendment, actor=team.purchaser, accept=True)
    contract = services.contract_confirm(contract=contract, actor=seller)
    stock = product.stockrecords.get()
    assert (stock.num_in_stock, stock.num_allocated) == (500, 100)

    with pytest.raises(IllegalTransition) as excinfo:
        services.contract_amendment_propose(
            contract=contract, actor=seller, value=Decimal("0"), reason="免运费"
        )
    assert excinfo.value.code == "contract_freight_locked"

    contract = services.contract_ship(
        contract=contract, actor=seller, carrier="顺丰速运", tracking_number="SF1234567890"
    )
    stock.refresh_from_db()
    assert (stock.num_in_stock, stock.num_allocated) == (400, 0)

    line = contract.lines.get()
    today = timezone.localdate()
    contract = services.contract_accept(
        contract=contract,
        actor=team.purchaser,
        lines=[
            services.LineAcceptance(line_id=line.pk, received=98, accepted=95, notes="3 袋受潮")
        ],
        rating=4,
        notes="包装完好",
    )
    line.refresh_from_db()
    assert (line.received_quantity, line.accepted_quantity, line.rejected_quantity) == (98, 95, 3)
    assert contract.accepted_amount == Decimal("3790.50")
    assert contract.payable_amount == Decimal("3910.50")
    assert contract.due_date == today + datetime.timedelta(days=30)

    services.invoice_record(
        contract=contract,
        actor=seller,
        number="24612000000012345678",
        issued_on=today,
        amount=Decimal("3910.50"),
        scan=evidence_file("invoice.pdf"),
    )
    services.payment_record(
        contract=contract,
        actor=team.finance,
        reference="HX001",
        paid_on=today,
        amount=Decimal("3000"),
    )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACCEPTED
    services.payment_record(
        contract=contract,
        actor=team.finance,
        reference="HX002",
        paid_on=today,
        amount=Decimal("910.50"),
    )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SETTLED
    assert list(contract.transitions.values_list("from_status", "to_status")) == [
        ("", "awaiting"),
        ("awaiting", "awaiting"),  # the supplier asks for freight, with its reason
        ("awaiting", "awaiting"),  # the purchaser agrees
        ("awaiting", "confirmed"),
        ("confirmed", "shipped"),
        ("shipped", "accepted"),
        ("accepted", "settled"),
    ]
    assert all(t.actor_id for t in contract.transitions.all())


def test_overpayment_and_goods_first_prepayment_are_refused(team, product, seller):
    contract = contract_in_state(team, product, 10, ContractStatus.SHIPPED, seller=seller)
    with pytest.raises(IllegalTransition) as excinfo:
        services.payment_record(
            contract=contract,
            actor=team.finance,
            reference="A",
            paid_on=timezone.localdate(),
            amount=1,
        )
    assert excinfo.value.code == "payment_not_allowed_in_status"
    contract = contract_in_state(team, product, 10, ContractStatus.ACCEPTED, seller=seller)
    with pytest.raises(SettlementError) as excinfo:
        services.payment_record(
            contract=contract,
            actor=team.finance,
            reference="B",
            paid_on=timezone.localdate(),
            amount=contract.payable_amount + 1,
        )
    assert excinfo.value.code == "payment_total_above_contract"
    assert not contract.payments.exists()


@pytest.mark.parametrize(
    ("status", "pay_first", "goods_first"),
    [
        (ContractStatus.AWAITING, False, False),
        (ContractStatus.DECLINED, False, False),
        (ContractStatus.CONFIRMED, True, False),
        (ContractStatus.SHIPPED, True, False),
        (ContractStatus.ACCEPTED, True, True),
        (ContractStatus.SETTLED, False, False),
    ],
)
def test_payments_are_taken_from_confirmation_if_paid_first_and_from_acceptance_if_goods_first(
    status, pay_first, goods_first
):
    assert [
        contract_may_record_payment(contract=Contract(status=status, payment_terms=terms))
        for terms in (PaymentTerms.PAY_FIRST, PaymentTerms.GOODS_FIRST)
    ] == [pay_first, goods_first]


def test_pay_first_contract_paid_before_delivery_settles_on_acceptance(team, product, seller):
    contract = contract_in_state(
        team,
        product,
        10,
        ContractStatus.CONFIRMED,
        seller=seller,
        payment_terms=PaymentTerms.PAY_FIRST,
    )
    services.payment_record(
        contract=contract,
        actor=team.finance,
        reference="PF1",
        paid_on=timezone.localdate(),
        amount=contract.goods_amount,
    )
    contract = services.contract_ship(
        contract=contract, actor=seller, carrier="EMS", tracking_number="1"
    )
    line = contract.lines.get()
    contract = services.contract_accept(
        contract=contract,
        actor=team.purchaser,
        lines=[services.LineAcceptance(line_id=line.pk, received=10, accepted=10)],
        rating=5,
    )
    assert contract.status == ContractStatus.SETTLED


def test_acceptance_figures_must_add_up(team, product, seller):
    contract = contract_in_state(team, product, 10, ContractStatus.SHIPPED, seller=seller)
    line = contract.lines.get()
    for received, accepted, code in (
        (11, 10, "acceptance_received_above_contract"),
        (5, 6, "acceptance_accepted_above_received"),
    ):
        with pytest.raises(AcceptanceError) as excinfo:
            services.contract_accept(
                contract=contract,
                actor=team.purchaser,
                lines=[
                    services.LineAcceptance(line_id=line.pk, received=received, accepted=accepted)
                ],
                rating=3,
            )
        assert excinfo.value.code == code
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SHIPPED
    assert contract.accepted_amount is None


def test_illegal_transitions_are_refused_with_a_clear_message(team, product, seller):
    contract = contract_in_state(team, product, 10, ContractStatus.AWAITING, seller=seller)
    with pytest.raises(IllegalTransition) as excinfo:
        services.contract_ship(contract=contract, actor=seller, carrier="EMS", tracking_number="1")
    assert excinfo.value.code == "contract_transition_not_allowed"
    # The message names the state the contract is in.
    assert str(ContractStatus.AWAITING.label) in str(excinfo.value)
    declined = contract_in_state(team, product, 10, ContractStatus.DECLINED, seller=seller)
    with pytest.raises(IllegalTransition) as excinfo:
        services.contract_confirm(contract=declined, actor=seller)
    assert excinfo.value.code == "contract_transition_not_allowed"
    assert declined.transitions.last().reason == "产能不足"


def test_only_the_contracts_producer_may_confirm_it(team, product):
    contract = contract_in_state(team, product, 10, ContractStatus.AWAITING)
    other_seller = producer_user(product_with_stock().producer)
    with pytest.raises(ProcurementPermissionDenied) as excinfo:
        services.contract_confirm(contract=contract, actor=other_seller)
    assert excinfo.value.code == "contract_producer_only"
    with pytest.raises(ProcurementPermissionDenied) as excinfo:
        services.contract_confirm(contract=contract, actor=team.purchaser)
    assert excinfo.value.code == "contract_producer_only"


def test_confirming_more_than_is_in_stock_allocates_nothing(team, seller):
    scarce = product_with_stock(stock=6, producer=seller.partners.get().producer)
    plenty = product_with_stock(stock=500, producer=scarce.producer)
    (contract,) = approved_contracts(team, [(plenty, 20), (scarce, 6)])
    # Between approval and confirmation a shopper buys one of the six.
    scarce.stockrecords.update(num_in_stock=5)
    with pytest.raises(InsufficientStock) as excinfo:
        services.contract_confirm(contract=contract, actor=seller)
    assert excinfo.value.code == "insufficient_stock"
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AWAITING
    assert not plenty.stockrecords.get().num_allocated


def test_late_interest_is_five_hundredths_percent_per_day_on_the_unpaid_balance(
    team, product, seller
):
    accepted_on = timezone.localdate() - datetime.timedelta(days=50)
    contract = contract_in_state(
        team, product, 100, ContractStatus.ACCEPTED, seller=seller, accepted_on=accepted_on
    )
    assert contract.payable_amount == Decimal("3990.00")
    due = contract.due_date
    assert due == accepted_on + datetime.timedelta(days=30)
    assert contract_late_interest(contract=contract, on=due) == Decimal("0.00")
    # 10 days late on 3990.00: 3990 × 0.0005 × 10
    assert contract_late_interest(
        contract=contract, on=due + datetime.timedelta(days=10)
    ) == Decimal("19.95")
    # Half paid on day 4: 4 days on 3990, then 6 days on 1990.
    services.payment_record(
        contract=contract,
        actor=team.finance,
        reference="LATE1",
        paid_on=due + datetime.timedelta(days=4),
        amount=Decimal("2000.00"),
    )
    assert contract_late_interest(
        contract=contract, on=due + datetime.timedelta(days=10)
    ) == Decimal("13.95")


def test_contract_may_agree_other_payment_days_and_interest_but_not_beyond_sixty(team, product):
    contract = contract_in_state(team, product, 10, ContractStatus.AWAITING)
    for days in (61, 0):
        with pytest.raises(SettlementError) as excinfo:
            services.contract_payment_days_set(contract=contract, actor=team.finance, days=days)
        assert excinfo.value.code == "payment_days_out_of_range"
    contract = services.contract_payment_days_set(
        contract=contract, actor=team.finance, days=45, daily_interest_rate=Decimal("0.0003")
    )
    assert (contract.payment_days, contract.daily_interest_rate) == (45, Decimal("0.0003"))


def test_the_database_holds_payment_days_to_the_same_legal_range(team, product):
    contract = contract_in_state(team, product, 10, ContractStatus.AWAITING)
    rows = Contract.objects.filter(pk=contract.pk)
    rows.update(payment_days=PAYMENT_DAYS_MIN)
    rows.update(payment_days=PAYMENT_DAYS_MAX)
    for days in (PAYMENT_DAYS_MIN - 1, PAYMENT_DAYS_MAX + 1):
        with pytest.raises(IntegrityError), transaction.atomic():
            rows.update(payment_days=days)


def test_approval_gives_contracts_the_configured_payment_days_up_to_the_maximum(
    team, product, settings
):
    settings.PROCUREMENT_PAYMENT_DAYS = PAYMENT_DAYS_MAX
    (contract,) = approved_contracts(team, [(product, 1)])
    assert contract.payment_days == PAYMENT_DAYS_MAX


def test_approvers_producers_and_purchasers_are_emailed_at_their_step(
    team, product, seller, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = submitted_order(team, [(product, 10)])
    assert [m.to for m in mailoutbox] == [[team.approver.email]]
    with django_capture_on_commit_callbacks(execute=True):
        services.purchase_order_decide(order=order, actor=team.approver, approve=True)
    assert [m.to for m in mailoutbox[1:]] == [[team.purchaser.email], [seller.email]]
    contract = order.contracts.get()
    assert contract.number in mailoutbox[2].subject
    services.contract_confirm(contract=contract, actor=seller)
    with django_capture_on_commit_callbacks(execute=True):
        services.contract_ship(contract=contract, actor=seller, carrier="EMS", tracking_number="E1")
    assert mailoutbox[-1].to == [team.purchaser.email]


def test_a_refused_step_sends_no_email(
    team, product, mailoutbox, django_capture_on_commit_callbacks
):
    member(team.organisation, "approver", user=team.purchaser)
    order = submitted_order(team, [(product, 10)])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(SegregationOfDuties):
        services.purchase_order_decide(order=order, actor=team.purchaser, approve=True)
    assert mailoutbox == []


def test_listings_not_approved_by_the_platform_cannot_be_ordered(team):
    pending = product_with_stock(review_status="pending")
    order = services.purchase_order_create(
        organisation=team.organisation,
        purchaser=team.purchaser,
        delivery_address="食堂",
        requested_delivery_date=timezone.localdate(),
        payment_terms=PaymentTerms.GOODS_FIRST,
    )
    with pytest.raises(OrderError) as excinfo:
        services.purchase_order_line_set(
            order=order, actor=team.purchaser, stockrecord=pending.stockrecords.get(), quantity=5
        )
    assert excinfo.value.code == "order_product_unavailable"
    assert not order.lines.exists()


# --- Four eyes: nobody approves an order they created, edited or submitted ---------------


def _order_by_another_purchaser(team, product):
    """A draft created by the unit's purchaser; ``both`` holds purchaser and approver."""
    both = member(team.organisation, "purchaser", "approver")
    order = services.purchase_order_create(
        organisation=team.organisation,
        purchaser=team.purchaser,
        delivery_address="陕西省西安市未央区凤城八路 1 号 机关食堂",
        requested_delivery_date=timezone.localdate() + datetime.timedelta(days=14),
        payment_terms=PaymentTerms.GOODS_FIRST,
    )
    return both, order


@pytest.mark.parametrize("touch", ["edited", "submitted", "edited_and_submitted"])
def test_a_user_with_both_roles_cannot_decide_an_order_they_edited_or_submitted(
    team, product, touch
):
    both, order = _order_by_another_purchaser(team, product)
    stockrecord = product.stockrecords.get()
    editor = both if touch in ("edited", "edited_and_submitted") else team.purchaser
    services.purchase_order_line_set(
        order=order, actor=editor, stockrecord=stockrecord, quantity=10
    )
    submitter = both if touch in ("submitted", "edited_and_submitted") else team.purchaser
    order = services.purchase_order_submit(order=order, actor=submitter)

    assert "approve" not in ORDER_WORKFLOW.available_transitions(order, both)
    for approve in (True, False):
        with pytest.raises(SegregationOfDuties) as excinfo:
            services.purchase_order_decide(order=order, actor=both, approve=approve, reason="x")
        assert excinfo.value.code == "segregation_of_duties"
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.SUBMITTED
    assert not order.contracts.exists()


def test_a_user_with_both_roles_may_decide_an_order_they_never_touched(team, product):
    both, order = _order_by_another_purchaser(team, product)
    services.purchase_order_line_set(
        order=order, actor=team.purchaser, stockrecord=product.stockrecords.get(), quantity=10
    )
    order = services.purchase_order_submit(order=order, actor=team.purchaser)

    assert "approve" in ORDER_WORKFLOW.available_transitions(order, both)
    services.purchase_order_decide(order=order, actor=both, approve=True)
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.APPROVED
    assert set(order.contributors.all()) == {team.purchaser}
    assert order.contracts.count() == 1


# --- Price breaks follow the listing ---------------------------------------------------


def test_a_price_break_not_below_the_lowered_retail_price_no_longer_applies(team, product, seller):
    record = product.stockrecords.get()  # retail ¥39.90
    PriceBreak.objects.create(stockrecord=record, min_quantity=100, unit_price=Decimal("35.00"))
    PriceBreak.objects.create(stockrecord=record, min_quantity=200, unit_price=Decimal("30.00"))
    record.price = Decimal("32.00")  # the producer lowers the price below the first break
    record.save(update_fields=["price"])

    order = submitted_order(team, [(product, 150)])
    line = order.lines.get()
    assert (line.unit_price, line.price_break_min_quantity) == (Decimal("32.00"), None)

    order = submitted_order(team, [(product, 250)])
    line = order.lines.get()
    assert (line.unit_price, line.price_break_min_quantity) == (Decimal("30.00"), 200)


def test_the_contract_records_the_price_rule_it_used(client, team, product):
    record = product.stockrecords.get()
    PriceBreak.objects.create(stockrecord=record, min_quantity=100, unit_price=Decimal("35.00"))
    (bulk,) = approved_contracts(team, [(product, 120)])
    (retail,) = approved_contracts(team, [(product, 10)])

    assert [line.price_break_min_quantity for line in bulk.lines.all()] == [100]
    assert [line.price_break_min_quantity for line in retail.lines.all()] == [None]
    client.force_login(team.purchaser)
    page = client.get(reverse("procurement:contract-detail", args=[bulk.pk])).content.decode()
    assert "阶梯价（≥100）" in page
