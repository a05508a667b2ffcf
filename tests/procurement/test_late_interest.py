"""Late-payment interest has one rule, ``contract_late_interest``, and a query
form beside it, ``contracts_with_late_interest``, for lists of many contracts
(the oversight figures). Both give the golden amounts of a table of cases,
worked out by hand, on PostgreSQL and on SQLite."""

import datetime
from decimal import Decimal

import pytest

from procurement.models import Contract, ContractStatus, Payment, money
from procurement.selectors import contract_late_interest, contracts_with_late_interest
from tests.factories.procurement import contract_in_state

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

DUE = datetime.date(2026, 6, 1)


def _day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


def _contract(team, product, seller, *, rate="0.0005", payments=()):
    """An accepted contract owing 1,000.00 of goods and 10.00 of freight,
    due on DUE, with ``payments`` as (day offset from DUE, amount); stored
    directly, so a case may pay more than is owed."""
    contract = contract_in_state(team, product, 1, ContractStatus.ACCEPTED, seller=seller)
    Contract.objects.filter(pk=contract.pk).update(
        accepted_on=_day(-30),
        accepted_amount=Decimal("1000.00"),
        freight=Decimal("10.00"),
        due_date=DUE,
        daily_interest_rate=Decimal(rate),
    )
    for index, (offset, amount) in enumerate(payments):
        Payment.objects.create(
            contract=contract,
            reference=f"LI{contract.pk}-{index}",
            paid_on=_day(offset),
            amount=Decimal(amount),
            recorded_by=team.finance,
        )
    contract.refresh_from_db()
    return contract


def _in_sql(contract, on):
    row = contracts_with_late_interest(Contract.objects.filter(pk=contract.pk), on=on).get()
    return row.paid_until, money(row.late_interest_exact)


CASES = [
    # (payments as (day from due, amount), on as day from due, rate, interest)
    pytest.param([], 0, "0.0005", "0.00", id="on_the_due_date"),
    pytest.param([], -5, "0.0005", "0.00", id="before_the_due_date"),
    # 1,010.00 × 0.05 % = 0.505: half a cent rounds up.
    pytest.param([], 1, "0.0005", "0.51", id="one_day_late_half_cent_rounds_up"),
    pytest.param([], 10, "0.0005", "5.05", id="ten_days_late_nothing_paid"),
    pytest.param([], 10, "0.0003", "3.03", id="agreed_rate"),
    pytest.param([], 10, "0", "0.00", id="agreed_no_interest"),
    # Paid half before the due date: 510.00 for 10 days.
    pytest.param([(-3, "500.00")], 10, "0.0005", "2.55", id="part_paid_before_due"),
    # 1,010.00 for 4 days, then 510.00 for 6.
    pytest.param([(4, "500.00")], 10, "0.0005", "3.55", id="part_paid_late"),
    pytest.param([(4, "300.00"), (4, "200.00")], 10, "0.0005", "3.55", id="two_payments_one_day"),
    # A payment on the day counted to stops interest from the next day only.
    pytest.param([(10, "500.00")], 10, "0.0005", "5.05", id="paid_on_the_day_counted_to"),
    pytest.param([(12, "500.00")], 10, "0.0005", "5.05", id="paid_after_the_day_counted_to"),
    pytest.param([(4, "1010.00")], 10, "0.0005", "2.02", id="paid_in_full_late"),
    pytest.param([(-1, "1200.00")], 10, "0.0005", "0.00", id="overpaid_before_due"),
    # 1,010.00 for 2 days, 410.00 for 3, then overpaid by 190.00: nothing more.
    pytest.param([(2, "600.00"), (5, "600.00")], 10, "0.0005", "1.63", id="overpaid_in_two_steps"),
    # 1,009.99 for 3 days, 10.00 for 4, 2.00 for 3: 1.514985 + 0.02 + 0.003.
    pytest.param(
        [(-2, "0.01"), (3, "999.99"), (7, "8.00")], 10, "0.0005", "1.54", id="three_payments"
    ),
]


@pytest.mark.parametrize(("payments", "on", "rate", "interest"), CASES)
def test_late_interest_rule_and_its_query_form_agree_on_golden_cases(
    team, product, seller, payments, on, rate, interest
):
    contract = _contract(team, product, seller, rate=rate, payments=payments)
    on_day = _day(on)
    paid = sum((Decimal(a) for d, a in payments if d <= on), Decimal("0.00"))
    assert contract_late_interest(contract=contract, on=on_day) == Decimal(interest)
    assert _in_sql(contract, on_day) == (paid, Decimal(interest))


def test_query_form_keeps_each_contracts_payments_to_itself(team, product, seller):
    unpaid = _contract(team, product, seller)
    part_paid = _contract(team, product, seller, payments=[(4, "500.00")])
    rows = contracts_with_late_interest(
        Contract.objects.filter(pk__in=[unpaid.pk, part_paid.pk]), on=_day(10)
    )
    assert {row.pk: (row.paid_until, money(row.late_interest_exact)) for row in rows} == {
        unpaid.pk: (Decimal("0.00"), Decimal("5.05")),
        part_paid.pk: (Decimal("500.00"), Decimal("3.55")),
    }
