"""An agency contract and a consumer want the last units at the same moment:
real threads on PostgreSQL, each with its own connection."""

import pytest
from django.db import connection
from oscar.core.loading import get_model

from partner.exceptions import InsufficientStock
from procurement import services
from procurement.models import Contract, ContractStatus
from tests.factories import product_with_stock
from tests.factories.orders import basket_with, place
from tests.factories.procurement import Team, approved_contracts, producer_user
from tests.support.threads import run_concurrently

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db(transaction=True)


def test_contract_and_consumer_cannot_both_take_the_last_units():
    assert connection.vendor == "postgresql"
    product = product_with_stock(stock=10)
    record = product.stockrecords.get()
    seller = producer_user(product.producer)
    (contract,) = approved_contracts(Team(), [(product, 8)])
    # A consumer checking out 3 through Oscar's own order placement.
    basket = basket_with(product, 3)

    outcomes = run_concurrently(
        [
            lambda: services.contract_confirm(contract=contract, actor=seller),
            place(basket, "200001"),
        ]
    )

    winners = [o for o in outcomes if not isinstance(o, Exception)]
    refusals = [o for o in outcomes if isinstance(o, InsufficientStock)]
    assert len(winners) == 1 and len(refusals) == 1, outcomes
    record.refresh_from_db()
    assert record.num_allocated in (8, 3)
    assert record.num_allocated <= record.num_in_stock
    confirmed = Contract.objects.get(pk=contract.pk).status == ContractStatus.CONFIRMED
    assert confirmed == (record.num_allocated == 8)
    assert Order.objects.exists() == (record.num_allocated == 3)
