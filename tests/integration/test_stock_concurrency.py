"""Two buyers, one unit left: real threads on PostgreSQL, each with its own
connection, meet at a barrier and place their orders at the same moment."""

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from oscar.apps.checkout.calculators import OrderTotalCalculator
from oscar.apps.partner.strategy import Selector
from oscar.apps.shipping.methods import Free
from oscar.core.loading import get_class, get_model

from partner.exceptions import InsufficientStock
from partner.services import stockrecord_allocate
from tests.factories import product_with_stock

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
OrderCreator = get_class("order.utils", "OrderCreator")

pytestmark = pytest.mark.django_db(transaction=True)


def run_concurrently(workers):
    barrier = threading.Barrier(len(workers))
    outcomes = [None] * len(workers)

    def run(index, work):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = work()
        except Exception as exc:  # noqa: BLE001 - the outcome is what we assert on
            outcomes[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def basket_with(product, quantity=1):
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(product, quantity)
    return basket


def place(basket, number):
    def work():
        basket.strategy = Selector().strategy()
        shipping = Free()
        charge = shipping.calculate(basket)
        total = OrderTotalCalculator().calculate(basket, charge)
        return OrderCreator().place_order(
            basket=basket,
            total=total,
            shipping_method=shipping,
            shipping_charge=charge,
            order_number=number,
        )

    return work


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
