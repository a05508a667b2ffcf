"""The rules in procurement/rules.py that have a per-object and a query form:
the two agree on a table of cases, on PostgreSQL and on SQLite."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from procurement.models import BuyerOrganisation, Contract, ContractStatus
from procurement.rules import (
    contract_is_overdue,
    contracts_overdue_q,
    contracts_with_overdue_flag,
    counting_unit_id,
    counting_unit_of,
)
from procurement.selectors import unit_actions
from tests.factories.procurement import Team, contract_in_state

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

ON = datetime.date(2026, 6, 15)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def accepted(team, product, seller):
    return contract_in_state(team, product, 10, ContractStatus.ACCEPTED, seller=seller)


def _put(contract, *, status, due_date):
    """The contract as if it were in ``status`` with ``due_date``, stored as such."""
    accepted_figures = (
        {"accepted_on": due_date - 30 * DAY, "accepted_amount": Decimal("399.00")}
        if due_date is not None
        else {"accepted_on": None, "accepted_amount": None}
    )
    Contract.objects.filter(pk=contract.pk).update(
        status=status, due_date=due_date, **accepted_figures
    )
    contract.refresh_from_db()
    return contract


@pytest.mark.parametrize(
    ("status", "due_date", "overdue"),
    [
        (ContractStatus.ACCEPTED, ON - DAY, True),
        (ContractStatus.ACCEPTED, ON - 400 * DAY, True),
        (ContractStatus.ACCEPTED, ON, False),
        (ContractStatus.ACCEPTED, ON + DAY, False),
        (ContractStatus.SETTLED, ON - DAY, False),
        (ContractStatus.SHIPPED, ON - DAY, False),
        (ContractStatus.SHIPPED, None, False),
        (ContractStatus.CONFIRMED, None, False),
        (ContractStatus.AWAITING, None, False),
        (ContractStatus.DECLINED, None, False),
    ],
)
def test_overdue_query_flag_and_predicate_agree(accepted, status, due_date, overdue):
    contract = _put(accepted, status=status, due_date=due_date)
    in_query = Contract.objects.filter(contracts_overdue_q(on=ON), pk=contract.pk).exists()
    flagged = contracts_with_overdue_flag(Contract.objects.filter(pk=contract.pk), on=ON).get()
    assert (
        contract_is_overdue(contract=contract, on=ON),
        in_query,
        bool(flagged.is_overdue),
    ) == (overdue, overdue, overdue)


def test_dashboard_lists_a_contract_due_today_to_pay_and_one_due_yesterday_as_overdue(
    team, product, seller
):
    today = timezone.localdate()
    due_today = contract_in_state(
        team, product, 1, ContractStatus.ACCEPTED, seller=seller, accepted_on=today - 30 * DAY
    )
    due_yesterday = contract_in_state(
        team, product, 1, ContractStatus.ACCEPTED, seller=seller, accepted_on=today - 31 * DAY
    )
    actions = unit_actions(unit=team.organisation, on=today)
    assert (actions.contracts_to_pay, actions.contracts_overdue) == ([due_today], [due_yesterday])


def test_counting_unit_of_one_organisation_and_in_sql_agree(team):
    union = Team(kind="union", union_of=team.organisation).organisation
    lone_union = Team(kind="union").organisation
    soe = Team(kind="soe").organisation
    organisations = [team.organisation, union, lone_union, soe]
    in_sql = dict(
        BuyerOrganisation.objects.filter(pk__in=[o.pk for o in organisations])
        .annotate(unit=counting_unit_of())
        .values_list("pk", "unit")
    )
    expected = {
        team.organisation.pk: team.organisation.pk,
        union.pk: team.organisation.pk,
        lone_union.pk: lone_union.pk,
        soe.pk: soe.pk,
    }
    assert {o.pk: counting_unit_id(o) for o in organisations} == expected
    assert in_sql == expected
