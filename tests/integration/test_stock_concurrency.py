"""Two buyers, one unit left: real threads on PostgreSQL, each with its own
connection, meet at a barrier and place their orders at the same moment."""

from decimal import Decimal

import pytest
from django.db import connection
from oscar.core.loading import get_model

from partner.exceptions import InsufficientStock
from partner.services import stockrecord_allocate
from tests.factories import product_with_stock
from tests.factories.orders import basket_with, place
from tests.support.threads import run_concurrently

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_buyers_of_the_last_unit_cannot_both_get_it():
    assert connection.vendor == "postgresql"
    product = product_with_stock(price=Decimal("88.00"), stock=1)
    baskets = [basket_with(product), basket_with(product)]

    outcomes = run_concurrently([place(baskets[0], "100001"), place(baskets[1], "100002")])

    orders = [o for o in outcomes if isinstance(o, Order)]
    refusals = [o for o in outcomes if isinstance(o, InsufficientStock)]
    assert len(orders) == 1, outcomes
    assert len(refusals) == 1, outcomes
    assert Order.objects.count() == 1
    stock = StockRecord.objects.get(product=product)
    assert (stock.num_in_stock, stock.num_allocated) == (1, 1)


def test_failed_order_releases_everything_it_allocated():
    # The second line cannot be satisfied, so the first line's allocation,
    # made earlier in the same transaction, must be rolled back too.
    plenty = product_with_stock(stock=10)
    scarce = product_with_stock(stock=1)
    basket = basket_with(plenty, 3)
    basket.add_product(scarce, 1)
    StockRecord.objects.filter(product=scarce).update(num_allocated=1)

    with pytest.raises(InsufficientStock):
        place(basket, "100003")()

    assert Order.objects.count() == 0
    assert not StockRecord.objects.get(product=plenty).num_allocated


def test_many_concurrent_allocations_never_exceed_stock():
    product = product_with_stock(stock=5)
    record = StockRecord.objects.get(product=product)

    outcomes = run_concurrently(
        [lambda: stockrecord_allocate(stockrecord_id=record.pk, quantity=1) for _ in range(8)]
    )

    assert sum(isinstance(o, StockRecord) for o in outcomes) == 5
    assert sum(isinstance(o, InsufficientStock) for o in outcomes) == 3
    record.refresh_from_db()
    assert record.num_allocated == 5
