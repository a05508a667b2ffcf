"""Ending a confirmed contract by agreement (协议解除, issue 11, agencies): one
party proposes with a reason, the other agrees or refuses, every step is in the
contract's history, and agreeing releases the stock allocation exactly once."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from procurement import services
from procurement.exceptions import ProcurementError
from procurement.models import (
    CancellationStatus,
    ContractCancellation,
    ContractParty,
    ContractStatus,
)
from procurement.rules import CANCELLABLE_CONTRACT_STATUSES, contract_cancel_refusal
from procurement.selectors import unit_progress
from procurement.workflows import CONTRACT_WORKFLOW, ContractAction
from tests.factories import product_with_stock
from tests.factories.procurement import (
    AnnualPlanFactory,
    Team,
    contract_in_state,
    producer_user,
)

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
REASON = "食堂改造停用三个月"


@pytest.fixture
def confirmed(team, product, seller):
    """10 × ¥39.90 confirmed: 10 units of the 500 in stock allocated."""
    return contract_in_state(team, product, 10, ContractStatus.CONFIRMED, seller=seller)


def _record(contract):
    record = contract.lines.get().stockrecord
    record.refresh_from_db()
    return record


def _refused(call, **kwargs) -> str:
    with pytest.raises(ProcurementError) as excinfo:
        call(**kwargs)
    return excinfo.value.code


def _propose(contract, actor, reason=REASON):
    return services.contract_cancel_propose(contract=contract, actor=actor, reason=reason)


def _still_confirmed(contract, allocated=10):
    contract.refresh_from_db()
    assert contract.status == ContractStatus.CONFIRMED
    assert _record(contract).num_allocated == allocated


# --- the rule -----------------------------------------------------------------------


def test_only_a_confirmed_unpaid_contract_may_be_cancelled(team, product, seller):
    assert CANCELLABLE_CONTRACT_STATUSES == {ContractStatus.CONFIRMED}
    for state in ContractStatus.values:
        contract = contract_in_state(team, product, 1, state, seller=seller)
        refusal = contract_cancel_refusal(contract=contract)
        if state == ContractStatus.CONFIRMED:
            assert refusal is None
            continue
        assert refusal.code == "contract_cancel_state", state
        code = _refused(
            services.contract_cancel_propose, contract=contract, actor=team.purchaser, reason="x"
        )
        assert code == "contract_cancel_state", state
        assert not contract.cancellations.filter(status=CancellationStatus.PENDING).exists()


def test_a_paid_pay_first_contract_is_not_cancelled_by_agreement(team, product, seller):
    contract = contract_in_state(
        team, product, 10, ContractStatus.CONFIRMED, seller=seller, payment_terms="pay_first"
    )
    cancellation = _propose(contract, seller)
    services.payment_record(
        contract=contract,
        actor=team.finance,
        reference="ZZ-PAID-1",
        paid_on=timezone.localdate(),
        amount=Decimal("100.00"),
    )
    code = _refused(
        services.contract_cancel_decide, cancellation=cancellation, actor=team.purchaser, agree=True
    )
    assert code == "contract_cancel_paid"
    _still_confirmed(contract)
    assert contract_cancel_refusal(contract=contract).code == "contract_cancel_paid"


# --- propose, agree, refuse, withdraw --------------------------------------------------


def test_the_buyer_proposes_and_the_supplier_agrees_releasing_the_allocation(
    confirmed, team, seller, django_capture_on_commit_callbacks
):
    assert _record(confirmed).num_allocated == 10
    with django_capture_on_commit_callbacks(execute=True):
        cancellation = _propose(confirmed, team.purchaser)
    assert cancellation.status == CancellationStatus.PENDING
    assert cancellation.proposed_by_party == ContractParty.BUYER
    assert cancellation.answering_party == ContractParty.SUPPLIER
    _still_confirmed(confirmed)
    log = confirmed.transitions.last()
    assert (log.action, log.actor, log.reason) == (
        ContractAction.CANCEL_PROPOSE,
        team.purchaser,
        REASON,
    )
    # The supplier is asked, with a link to the contract.
    assert [message.to for message in mail.outbox] == [[seller.email]]
    assert f"/procurement/contracts/{confirmed.pk}/" in mail.outbox[0].body
    assert REASON in mail.outbox[0].body
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.contract_cancel_decide(
            cancellation=cancellation, actor=seller, agree=True, note="同意，库存另作他用"
        )
    confirmed.refresh_from_db()
    assert confirmed.status == ContractStatus.CANCELLED
    record = _record(confirmed)
    assert (record.num_in_stock, record.num_allocated) == (500, 0)
    cancellation.refresh_from_db()
    assert (cancellation.status, cancellation.decided_by) == (CancellationStatus.AGREED, seller)
    assert cancellation.decided_at is not None
    log = confirmed.transitions.last()
    assert (log.action, log.actor, log.from_status, log.to_status) == (
        ContractAction.CANCEL_AGREE,
        seller,
        ContractStatus.CONFIRMED,
        ContractStatus.CANCELLED,
    )
    assert REASON in log.reason and "同意，库存另作他用" in log.reason
    # The buyer side that may answer for the unit is told: purchasers and admins.
    assert sorted(mail.outbox[0].to) == sorted([team.purchaser.email, team.admin.email])
    assert f"/procurement/contracts/{confirmed.pk}/" in mail.outbox[0].body


def test_the_supplier_proposes_and_the_buyer_refuses_and_nothing_changes(
    confirmed, team, seller, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cancellation = _propose(confirmed, seller, "原料短缺")
    assert cancellation.proposed_by_party == ContractParty.SUPPLIER
    assert sorted(mail.outbox[0].to) == sorted([team.purchaser.email, team.admin.email])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.contract_cancel_decide(
            cancellation=cancellation, actor=team.admin, agree=False, note="请按期供货"
        )
    _still_confirmed(confirmed)
    cancellation.refresh_from_db()
    assert (cancellation.status, cancellation.decided_by) == (
        CancellationStatus.REFUSED,
        team.admin,
    )
    assert [message.to for message in mail.outbox] == [[seller.email]]
    actions = list(confirmed.transitions.values_list("action", flat=True))
    assert actions[-2:] == [ContractAction.CANCEL_PROPOSE, ContractAction.CANCEL_REFUSE]
    # Refused, the contract goes on: it ships, and may be proposed again before that.
    assert _propose(confirmed, seller, "再次协商").status == CancellationStatus.PENDING


def test_the_proposer_cannot_agree_to_its_own_proposal(confirmed, team, seller):
    cancellation = _propose(confirmed, team.purchaser)
    # Neither the proposer nor anyone else who speaks only for the buyer.
    for user in (team.purchaser, team.admin):
        for agree in (True, False):
            code = _refused(
                services.contract_cancel_decide, cancellation=cancellation, actor=user, agree=agree
            )
            assert code == "contract_cancel_own_proposal", user
    # The supplier cannot withdraw the buyer's proposal, only answer it.
    assert (
        _refused(services.contract_cancel_withdraw, cancellation=cancellation, actor=seller)
        == "contract_cancel_not_proposer"
    )
    _still_confirmed(confirmed)
    cancellation.refresh_from_db()
    assert cancellation.status == CancellationStatus.PENDING


def test_a_supplier_proposal_is_not_answered_by_the_supplier(confirmed, team, seller):
    other_seller_user = producer_user(confirmed.producer)
    cancellation = _propose(confirmed, seller)
    for user in (seller, other_seller_user):
        code = _refused(
            services.contract_cancel_decide, cancellation=cancellation, actor=user, agree=True
        )
        assert code == "contract_cancel_own_proposal"
    _still_confirmed(confirmed)


def test_members_without_a_say_and_strangers_are_refused(confirmed, team, seller):
    cancellation = _propose(confirmed, seller)
    stranger_unit = Team()
    stranger_seller = producer_user(product_with_stock().producer)
    for user in (team.approver, team.finance, stranger_unit.admin, stranger_seller):
        assert _refused(
            services.contract_cancel_propose, contract=confirmed, actor=user, reason="x"
        ) in ("contract_cancel_party_only",), user
        code = _refused(
            services.contract_cancel_decide, cancellation=cancellation, actor=user, agree=True
        )
        assert code == "contract_cancel_party_only", user
    _still_confirmed(confirmed)


def test_the_proposer_withdraws_and_the_contract_ships(
    confirmed, team, seller, django_capture_on_commit_callbacks
):
    cancellation = _propose(confirmed, seller)
    # Nothing ships and nothing else is proposed while the question is open.
    assert (
        _refused(
            services.contract_ship,
            contract=confirmed,
            actor=seller,
            carrier="中国邮政",
            tracking_number="1",
        )
        == "contract_cancel_pending"
    )
    assert (
        _refused(
            services.contract_cancel_propose, contract=confirmed, actor=team.purchaser, reason="x"
        )
        == "contract_cancel_pending"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.contract_cancel_withdraw(cancellation=cancellation, actor=seller)
    cancellation.refresh_from_db()
    assert cancellation.status == CancellationStatus.WITHDRAWN
    assert sorted(mail.outbox[-1].to) == sorted([team.purchaser.email, team.admin.email])
    _still_confirmed(confirmed)
    services.contract_ship(
        contract=confirmed, actor=seller, carrier="中国邮政", tracking_number="9876543210"
    )
    confirmed.refresh_from_db()
    assert confirmed.status == ContractStatus.SHIPPED
    assert (
        _refused(
            services.contract_cancel_propose, contract=confirmed, actor=team.purchaser, reason="x"
        )
        == "contract_cancel_state"
    )


def test_a_proposal_needs_a_reason(confirmed, team):
    for reason in ("", "   "):
        code = _refused(
            services.contract_cancel_propose,
            contract=confirmed,
            actor=team.purchaser,
            reason=reason,
        )
        assert code == "contract_cancel_reason_required"
    assert not confirmed.cancellations.exists()
    assert confirmed.transitions.filter(action=ContractAction.CANCEL_PROPOSE).count() == 0


def test_answering_twice_is_refused_and_releases_nothing_more(confirmed, team, seller):
    cancellation = _propose(confirmed, team.purchaser)
    services.contract_cancel_decide(cancellation=cancellation, actor=seller, agree=True)
    for agree in (True, False):
        code = _refused(
            services.contract_cancel_decide, cancellation=cancellation, actor=seller, agree=agree
        )
        assert code == "contract_cancel_state"
    assert _record(confirmed).num_allocated == 0
    assert confirmed.transitions.filter(action=ContractAction.CANCEL_AGREE).count() == 1


def test_one_pending_proposal_per_contract_is_a_database_rule(confirmed, team):
    cancellation = _propose(confirmed, team.purchaser)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractCancellation.objects.create(
            contract=confirmed,
            proposed_by_party=ContractParty.SUPPLIER,
            proposed_by=cancellation.proposed_by,
            reason="x",
        )


def test_other_allocations_of_the_same_stock_stay(team, product, seller):
    first = contract_in_state(team, product, 10, ContractStatus.CONFIRMED, seller=seller)
    contract_in_state(team, product, 7, ContractStatus.CONFIRMED, seller=seller)
    assert _record(first).num_allocated == 17
    cancellation = _propose(first, seller)
    services.contract_cancel_decide(cancellation=cancellation, actor=team.purchaser, agree=True)
    assert _record(first).num_allocated == 7


# --- the figures --------------------------------------------------------------------------


def test_a_cancelled_contract_is_neither_pending_nor_counted(team, product, seller):
    """Golden figures: 10 × ¥39.90 confirmed, 5 accepted, 3 cancelled."""
    AnnualPlanFactory(
        organisation=team.organisation,
        year=THIS_YEAR,
        canteen_budget=Decimal("20000"),
        reserve_ratio=Decimal("0.10"),
    )
    contract_in_state(team, product, 10, ContractStatus.CONFIRMED, seller=seller)
    contract_in_state(team, product, 5, ContractStatus.ACCEPTED, seller=seller)
    doomed = contract_in_state(team, product, 3, ContractStatus.CONFIRMED, seller=seller)
    before = unit_progress(unit=team.organisation, year=THIS_YEAR)
    assert (before.counted, before.pending) == (Decimal("199.50"), Decimal("518.70"))

    cancellation = _propose(doomed, team.purchaser)
    during = unit_progress(unit=team.organisation, year=THIS_YEAR)
    assert (during.counted, during.pending) == (Decimal("199.50"), Decimal("518.70"))

    services.contract_cancel_decide(cancellation=cancellation, actor=seller, agree=True)
    after = unit_progress(unit=team.organisation, year=THIS_YEAR)
    assert after.target == Decimal("2000.00")
    assert after.counted == Decimal("199.50")
    assert after.pending == Decimal("399.00")
    assert after.percent == Decimal("10.0")
    assert after.remaining == Decimal("1800.50")
    assert sum(month["amount"] for month in after.by_month) == Decimal("199.50")


def test_the_workflow_offers_the_steps_to_the_right_people(confirmed, team, seller):
    assert "cancel_propose" in CONTRACT_WORKFLOW.available_transitions(confirmed, seller)
    assert "cancel_propose" in CONTRACT_WORKFLOW.available_transitions(confirmed, team.purchaser)
    assert "cancel_propose" not in CONTRACT_WORKFLOW.available_transitions(confirmed, team.finance)
    _propose(confirmed, seller)
    supplier_actions = CONTRACT_WORKFLOW.available_transitions(confirmed, seller)
    buyer_actions = CONTRACT_WORKFLOW.available_transitions(confirmed, team.purchaser)
    assert set(supplier_actions) & {"cancel_propose", "cancel_agree", "ship"} == set()
    assert "cancel_withdraw" in supplier_actions
    assert {"cancel_agree", "cancel_refuse"} <= set(buyer_actions)
    assert "cancel_withdraw" not in buyer_actions


# --- the page -----------------------------------------------------------------------------


def test_propose_and_agree_on_the_contract_page(
    client, confirmed, team, seller, django_assert_max_num_queries
):
    url = reverse("procurement:contract-detail", args=[confirmed.pk])
    client.force_login(team.purchaser)
    page = client.get(url).content.decode()
    assert 'id="propose-cancellation"' in page
    # Without a reason: the form says so and nothing changes.
    response = client.post(url, {"action": "cancel_propose", "cancel-reason": ""})
    assert response.status_code == 200
    assert not confirmed.cancellations.exists()
    response = client.post(url, {"action": "cancel_propose", "cancel-reason": REASON})
    assert response.status_code == 302
    cancellation = confirmed.cancellations.get()
    page = client.get(url).content.decode()
    assert 'id="pending-cancellation"' in page and REASON in page
    assert 'id="withdraw-cancellation"' in page and 'id="agree-cancellation"' not in page
    # Agreeing to one's own proposal through a forged post: a message, nothing changes.
    response = client.post(url, {"action": "cancel_agree", "cancellation": cancellation.pk})
    assert response.status_code == 200
    assert "须由合同另一方同意或不同意" in response.content.decode()
    _still_confirmed(confirmed)

    client.force_login(seller)
    # Each cancellation step's guard asks for the pending proposal and the
    # user's side on its own (43 queries in all when measured).
    with django_assert_max_num_queries(43):
        page = client.get(url).content.decode()
    assert 'id="agree-cancellation"' in page and 'id="refuse-cancellation"' in page
    assert 'id="ship-contract"' not in page
    response = client.post(
        url,
        {"action": "cancel_agree", "cancellation": cancellation.pk, "cancel_decision-note": "好"},
    )
    assert response.status_code == 302
    confirmed.refresh_from_db()
    assert confirmed.status == ContractStatus.CANCELLED
    assert _record(confirmed).num_allocated == 0
    page = client.get(url).content.decode()
    assert "已协议解除" in page and "同意协议解除" in page
    assert 'id="pending-cancellation"' not in page and 'id="propose-cancellation"' not in page
    # Agreeing again is a message on the page, not an error page.
    response = client.post(url, {"action": "cancel_agree", "cancellation": cancellation.pk})
    assert response.status_code == 200
    assert "只有已确认、尚未发货的合同可以协议解除" in response.content.decode()


def test_strangers_get_404_and_a_foreign_proposal_id_is_404(client, confirmed, team, seller):
    cancellation = _propose(confirmed, seller)
    url = reverse("procurement:contract-detail", args=[confirmed.pk])
    stranger = Team()
    client.force_login(stranger.admin)
    for data in (
        {"action": "cancel_propose", "cancel-reason": "x"},
        {"action": "cancel_agree", "cancellation": cancellation.pk},
        {"action": "cancel_refuse", "cancellation": cancellation.pk},
        {"action": "cancel_withdraw", "cancellation": cancellation.pk},
    ):
        assert client.post(url, data).status_code == 404
    assert client.get(url).status_code == 404
    # Another contract's proposal posted at one's own contract.
    own = contract_in_state(stranger, product_with_stock(), 1, ContractStatus.CONFIRMED)
    client.force_login(stranger.purchaser)
    own_url = reverse("procurement:contract-detail", args=[own.pk])
    response = client.post(own_url, {"action": "cancel_agree", "cancellation": cancellation.pk})
    assert response.status_code == 404
    _still_confirmed(confirmed)
    cancellation.refresh_from_db()
    assert cancellation.status == CancellationStatus.PENDING
