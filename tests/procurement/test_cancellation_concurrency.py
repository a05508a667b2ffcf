"""Both answers to a proposal to end a contract arrive at once: real threads on
PostgreSQL, each with its own connection. The allocation is released once."""

import pytest
from django.db import connection

from procurement import services
from procurement.exceptions import ProcurementError
from procurement.models import CancellationStatus, Contract, ContractStatus
from tests.factories import product_with_stock
from tests.factories.procurement import Team, contract_in_state, member, producer_user
from tests.support.threads import run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


def test_agreeing_twice_at_once_releases_the_allocation_once():
    assert connection.vendor == "postgresql"
    product = product_with_stock(stock=50)
    record = product.stockrecords.get()
    seller = producer_user(product.producer)
    team = Team()
    # Another allocation of the same stock, which must stay.
    contract_in_state(team, product, 4, ContractStatus.CONFIRMED, seller=seller)
    contract = contract_in_state(team, product, 10, ContractStatus.CONFIRMED, seller=seller)
    record.refresh_from_db()
    assert record.num_allocated == 14
    cancellation = services.contract_cancel_propose(
        contract=contract, actor=seller, reason="原料短缺"
    )
    second_purchaser = member(team.organisation, "purchaser")

    outcomes = run_concurrently(
        [
            lambda: services.contract_cancel_decide(
                cancellation=cancellation, actor=team.purchaser, agree=True
            ),
            lambda: services.contract_cancel_decide(
                cancellation=cancellation, actor=second_purchaser, agree=True
            ),
        ]
    )

    winners = [o for o in outcomes if not isinstance(o, Exception)]
    refusals = [o for o in outcomes if isinstance(o, ProcurementError)]
    assert len(winners) == 1 and len(refusals) == 1, outcomes
    assert refusals[0].code == "contract_cancel_state"
    record.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated) == (50, 4)
    contract = Contract.objects.get(pk=contract.pk)
    assert contract.status == ContractStatus.CANCELLED
    assert contract.transitions.filter(action="cancel_agree").count() == 1
    cancellation.refresh_from_db()
    assert cancellation.status == CancellationStatus.AGREED


def test_agreeing_and_shipping_at_once_do_not_both_happen():
    product = product_with_stock(stock=20)
    record = product.stockrecords.get()
    seller = producer_user(product.producer)
    team = Team()
    contract = contract_in_state(team, product, 10, ContractStatus.CONFIRMED, seller=seller)
    cancellation = services.contract_cancel_propose(
        contract=contract, actor=team.purchaser, reason="食堂停用"
    )
    services.contract_cancel_withdraw(cancellation=cancellation, actor=team.purchaser)
    cancellation = services.contract_cancel_propose(
        contract=contract, actor=team.purchaser, reason="食堂停用"
    )

    outcomes = run_concurrently(
        [
            lambda: services.contract_cancel_decide(
                cancellation=cancellation, actor=seller, agree=True
            ),
            lambda: services.contract_ship(
                contract=contract, actor=seller, carrier="中国邮政", tracking_number="1"
            ),
        ]
    )

    # Whichever comes first, the goods stay: shipping is refused while the
    # proposal waits, and once the contract is cancelled.
    refusals = [o for o in outcomes if isinstance(o, ProcurementError)]
    assert len(refusals) == 1, outcomes
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.CANCELLED
    record.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated) == (20, 0)
