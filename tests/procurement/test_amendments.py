"""Freight after the order's approval: the supplier asks, the buyer's purchaser
decides, within a bound, every step logged on the contract (issue 10, item 2)."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from procurement import services
from procurement.exceptions import ProcurementError
from procurement.models import AmendmentStatus, ContractAmendment, ContractStatus
from procurement.rules import freight_limit_for
from procurement.selectors import contract_late_interest
from procurement.workflows import ContractAction
from tests.factories import product_with_stock
from tests.factories.procurement import (
    Team,
    approved_contracts,
    producer_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def small():
    """¥178 of goods: 10 × ¥17.80, the contract of the reported attack."""
    return product_with_stock(price=Decimal("17.80"), stock=100)


@pytest.fixture
def contract(team, small):
    (contract,) = approved_contracts(team, [(small, 10)])
    return contract


@pytest.fixture
def supplier(small):
    return producer_user(small.producer)


def _propose(contract, supplier, value="50.00", reason="县城到市区专车配送"):
    return services.contract_amendment_propose(
        contract=contract, actor=supplier, value=Decimal(value), reason=reason
    )


def _refused(call, **kwargs) -> str:
    with pytest.raises(ProcurementError) as excinfo:
        call(**kwargs)
    return excinfo.value.code


def _unchanged(contract, freight="0.00"):
    contract.refresh_from_db()
    assert contract.freight == Decimal(freight)
    assert contract.status == ContractStatus.AWAITING


# --- the bound -------------------------------------------------------------------


def test_ten_million_yuan_of_freight_on_178_yuan_of_goods_is_refused(contract, supplier):
    assert contract.goods_amount == Decimal("178.00")
    for figure in ("10000000", "9999999999.99"):
        code = _refused(
            services.contract_amendment_propose,
            contract=contract,
            actor=supplier,
            value=Decimal(figure),
            reason="运费",
        )
        assert code == "contract_freight_over_limit"
    _unchanged(contract)
    assert not contract.amendments.exists()
    assert contract.transitions.count() == 1


def test_the_limit_is_the_smaller_of_the_cap_and_the_share_of_the_goods(settings, team, small):
    settings.PROCUREMENT_FREIGHT_MAX = Decimal("5000")
    settings.PROCUREMENT_FREIGHT_MAX_SHARE = Decimal("0.30")
    (contract,) = approved_contracts(team, [(small, 10)])
    assert freight_limit_for(contract=contract) == Decimal("53.40")
    big = product_with_stock(price=Decimal("100.00"), stock=1000)
    (large,) = approved_contracts(team, [(big, 1000)])
    assert freight_limit_for(contract=large) == Decimal("5000")


def test_freight_at_the_limit_is_allowed_and_one_fen_above_is_not(contract, supplier):
    assert _propose(contract, supplier, "53.40").status == AmendmentStatus.PENDING
    services.contract_amendment_withdraw(amendment=contract.amendments.get(), actor=supplier)
    code = _refused(
        services.contract_amendment_propose,
        contract=contract,
        actor=supplier,
        value=Decimal("53.41"),
        reason="运费",
    )
    assert code == "contract_freight_over_limit"


def test_acceptance_holds_the_limit_in_force_when_it_takes_effect(
    settings, contract, supplier, team
):
    amendment = _propose(contract, supplier, "50.00")
    settings.PROCUREMENT_FREIGHT_MAX = Decimal("40")
    code = _refused(
        services.contract_amendment_decide, amendment=amendment, actor=team.purchaser, accept=True
    )
    assert code == "contract_freight_over_limit"
    _unchanged(contract)
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.PENDING


@pytest.mark.parametrize(
    ("value", "reason", "code"),
    [
        ("-1", "运费", "contract_freight_negative"),
        ("20", "  ", "contract_amendment_reason_required"),
        ("0", "运费", "contract_amendment_unchanged"),
    ],
)
def test_a_proposal_needs_a_reason_a_change_and_a_sane_figure(
    contract, supplier, value, reason, code
):
    refused = _refused(
        services.contract_amendment_propose,
        contract=contract,
        actor=supplier,
        value=Decimal(value),
        reason=reason,
    )
    assert refused == code
    _unchanged(contract)
    assert not contract.amendments.exists()


# --- asking and deciding -----------------------------------------------------------


def test_after_approval_a_suppliers_freight_leaves_the_contract_unchanged_and_waits(
    contract, supplier, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        amendment = _propose(contract, supplier, "50.00")
    _unchanged(contract)
    assert (amendment.status, amendment.kind) == (AmendmentStatus.PENDING, "freight")
    assert (amendment.old_value, amendment.proposed_value) == (Decimal("0.00"), Decimal("50.00"))
    assert amendment.proposed_by == supplier
    log = contract.transitions.last()
    assert (log.action, log.actor) == (ContractAction.AMEND, supplier)
    assert "50.00" in log.reason and "县城到市区专车配送" in log.reason
    # The purchasers are asked by e-mail.
    assert [message.to for message in mail.outbox] == [[team.purchaser.email]]
    # Nothing else is asked or confirmed meanwhile.
    assert _refused(services.contract_confirm, contract=contract, actor=supplier) == (
        "contract_amendment_pending"
    )
    assert _propose_refused(contract, supplier) == "contract_amendment_pending"
    _unchanged(contract)
    assert not contract.lines.get().stockrecord.num_allocated


def _propose_refused(contract, supplier):
    return _refused(
        services.contract_amendment_propose,
        contract=contract,
        actor=supplier,
        value=Decimal("10"),
        reason="再改",
    )


def test_the_purchaser_accepts_and_the_freight_changes_with_a_log_row(
    contract, supplier, team, django_capture_on_commit_callbacks
):
    amendment = _propose(contract, supplier, "50.00")
    with django_capture_on_commit_callbacks(execute=True):
        services.contract_amendment_decide(
            amendment=amendment, actor=team.purchaser, accept=True, note="同意"
        )
    _unchanged(contract, "50.00")
    amendment.refresh_from_db()
    assert (amendment.status, amendment.decided_by) == (AmendmentStatus.ACCEPTED, team.purchaser)
    assert amendment.decided_at is not None and amendment.decision_note == "同意"
    log = contract.transitions.last()
    assert (log.action, log.actor) == (ContractAction.AMEND_ACCEPT, team.purchaser)
    assert "50.00" in log.reason
    assert [message.to for message in mail.outbox] == [[supplier.email]]
    # Agreed: the supplier may confirm now, and the next change is a new question.
    services.contract_confirm(contract=contract, actor=supplier)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.CONFIRMED


def test_the_purchaser_declines_and_nothing_changes_but_the_log(contract, supplier, team):
    amendment = _propose(contract, supplier, "50.00")
    services.contract_amendment_decide(
        amendment=amendment, actor=team.purchaser, accept=False, note="运费已含在货款中"
    )
    _unchanged(contract)
    amendment.refresh_from_db()
    assert (amendment.status, amendment.decided_by) == (AmendmentStatus.DECLINED, team.purchaser)
    log = contract.transitions.last()
    assert (log.action, log.actor) == (ContractAction.AMEND_DECLINE, team.purchaser)
    assert "运费已含在货款中" in log.reason
    code = _refused(
        services.contract_amendment_decide, amendment=amendment, actor=team.purchaser, accept=True
    )
    assert code == "contract_amendment_not_pending"
    _unchanged(contract)


def test_the_supplier_withdraws_and_nothing_changes_but_the_log(contract, supplier, team):
    amendment = _propose(contract, supplier, "50.00")
    services.contract_amendment_withdraw(amendment=amendment, actor=supplier)
    _unchanged(contract)
    amendment.refresh_from_db()
    assert (amendment.status, amendment.decided_by) == (AmendmentStatus.WITHDRAWN, supplier)
    assert contract.transitions.last().action == ContractAction.AMEND_WITHDRAW
    code = _refused(
        services.contract_amendment_decide, amendment=amendment, actor=team.purchaser, accept=True
    )
    assert code == "contract_amendment_not_pending"


def test_declining_the_contract_withdraws_its_pending_amendment(contract, supplier):
    amendment = _propose(contract, supplier, "50.00")
    services.contract_decline(contract=contract, actor=supplier, reason="产能不足")
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.WITHDRAWN
    contract.refresh_from_db()
    assert (contract.status, contract.freight) == (ContractStatus.DECLINED, Decimal("0.00"))
    assert [t.action for t in contract.transitions.all()][-2:] == [
        ContractAction.AMEND_WITHDRAW,
        ContractAction.DECLINE,
    ]


def test_only_the_buyer_units_purchaser_decides(contract, supplier, team):
    amendment = _propose(contract, supplier, "50.00")
    other_unit = Team()
    for user in (team.approver, team.finance, team.admin, supplier, other_unit.purchaser):
        for accept in (True, False):
            code = _refused(
                services.contract_amendment_decide, amendment=amendment, actor=user, accept=accept
            )
            assert code == "contract_amendment_not_buyer", user
    assert (
        _refused(services.contract_amendment_withdraw, amendment=amendment, actor=team.purchaser)
        == "contract_producer_only"
    )
    assert (
        _refused(
            services.contract_amendment_propose,
            contract=contract,
            actor=team.purchaser,
            value=Decimal("1"),
            reason="x",
        )
        == "contract_producer_only"
    )
    _unchanged(contract)
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.PENDING
    assert contract.transitions.count() == 2


def test_freight_is_fixed_once_the_contract_is_confirmed(contract, supplier):
    services.contract_confirm(contract=contract, actor=supplier)
    assert _propose_refused(contract, supplier) == "contract_freight_locked"


def test_one_pending_amendment_per_contract_is_a_database_rule(contract, supplier):
    amendment = _propose(contract, supplier, "50.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractAmendment.objects.create(
            contract=contract,
            kind="freight",
            old_value=0,
            proposed_value=20,
            reason="x",
            proposed_by=amendment.proposed_by,
        )


# --- what is owed ----------------------------------------------------------------------


def test_late_interest_runs_on_the_agreed_freight_only(contract, supplier, team):
    """A declined ¥50 stays out of what is owed and of the interest on it."""
    amendment = _propose(contract, supplier, "50.00")
    services.contract_amendment_decide(amendment=amendment, actor=team.purchaser, accept=False)
    services.contract_confirm(contract=contract, actor=supplier)
    services.contract_ship(contract=contract, actor=supplier, carrier="EMS", tracking_number="1")
    line = contract.lines.get()
    accepted_on = datetime.date(2026, 1, 5)
    contract = services.contract_accept(
        contract=contract,
        actor=team.purchaser,
        lines=[services.LineAcceptance(line_id=line.pk, received=10, accepted=10)],
        rating=5,
        today=accepted_on,
    )
    assert contract.payable_amount == Decimal("178.00")
    on = contract.due_date + datetime.timedelta(days=10)
    expected = (Decimal("178.00") * contract.daily_interest_rate * 10).quantize(Decimal("0.01"))
    assert contract_late_interest(contract=contract, on=on) == expected


# --- the contract page -----------------------------------------------------------------


def test_the_contract_page_shows_the_pending_amendment_and_the_purchasers_forms(
    client, contract, supplier, team, django_assert_max_num_queries
):
    url = reverse("procurement:contract-detail", args=[contract.pk])
    client.force_login(supplier)
    response = client.post(
        url,
        {"action": "freight", "freight-freight": "50", "freight-reason": "县城到市区专车配送"},
    )
    assert response.status_code == 302
    amendment = contract.amendments.get()
    _unchanged(contract)

    page = client.get(url).content.decode()
    assert 'id="pending-amendment"' in page and 'id="withdraw-amendment"' in page
    assert 'id="confirm-contract"' not in page and 'id="propose-freight"' not in page

    client.force_login(team.purchaser)
    # The pending amendment costs the page one query, the header's role entries
    # (customer.rules.user_roles) another (28 in all when measured).
    with django_assert_max_num_queries(29):
        response = client.get(url)
    page = response.content.decode()
    assert response.context["pending_amendment"] == amendment
    for fragment in ('id="amendment-old"', "¥0.00", "¥50.00", "+¥50.00", "县城到市区专车配送"):
        assert fragment in page, fragment
    assert 'id="accept-amendment"' in page and 'id="decline-amendment"' in page
    assert 'id="withdraw-amendment"' not in page

    # The approver sees the question but has no buttons.
    client.force_login(team.approver)
    page = client.get(url).content.decode()
    assert 'id="pending-amendment"' in page and 'id="accept-amendment"' not in page

    client.force_login(team.purchaser)
    response = client.post(
        url, {"action": "amend_decline", "amendment": amendment.pk, "amendment-note": "不需要"}
    )
    assert response.status_code == 302
    _unchanged(contract)
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.DECLINED
    assert 'id="pending-amendment"' not in client.get(url).content.decode()


def test_the_purchaser_accepts_on_the_page(client, contract, supplier, team):
    amendment = _propose(contract, supplier, "50.00")
    url = reverse("procurement:contract-detail", args=[contract.pk])
    client.force_login(team.purchaser)
    response = client.post(url, {"action": "amend_accept", "amendment": amendment.pk})
    assert response.status_code == 302
    _unchanged(contract, "50.00")
    # Deciding again is a message on the page, not an error page.
    response = client.post(url, {"action": "amend_accept", "amendment": amendment.pk})
    assert response.status_code == 200
    assert "该变更申请已处理或已撤回" in response.content.decode()


def test_the_attack_through_the_page_is_a_form_error_that_changes_nothing(
    client, contract, supplier
):
    url = reverse("procurement:contract-detail", args=[contract.pk])
    client.force_login(supplier)
    for figure in ("10000000", "9999999999.99", "1e30"):
        response = client.post(
            url, {"action": "freight", "freight-freight": figure, "freight-reason": "运费"}
        )
        assert response.status_code == 200
        assert "运费不能超过 ¥53.40" in response.content.decode()
    _unchanged(contract)
    assert not contract.amendments.exists()
