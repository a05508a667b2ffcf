"""Producers' bulk price breaks on their stock records."""

from decimal import Decimal

from django.db import transaction

from procurement.exceptions import (
    PriceBreakMinQuantity,
    PriceBreakPriceOutOfRange,
    PriceBreakProducerOnly,
)
from procurement.models import (
    PriceBreak,
    money,
)
from producers.selectors import producer_is_managed_by


def _require_stockrecord_owner(*, user, stockrecord) -> None:
    producer = stockrecord.product.producer
    if producer is None or not producer_is_managed_by(producer=producer, user=user):
        raise PriceBreakProducerOnly()


@transaction.atomic
def price_break_set(*, stockrecord, actor, min_quantity: int, unit_price: Decimal) -> PriceBreak:
    _require_stockrecord_owner(user=actor, stockrecord=stockrecord)
    unit_price = money(unit_price)
    if min_quantity < 2:
        raise PriceBreakMinQuantity()
    if unit_price <= 0 or unit_price >= stockrecord.price:
        raise PriceBreakPriceOutOfRange(params={"price": stockrecord.price})
    price_break, _created = PriceBreak.objects.update_or_create(
        stockrecord=stockrecord, min_quantity=min_quantity, defaults={"unit_price": unit_price}
    )
    return price_break


@transaction.atomic
def price_break_remove(*, price_break: PriceBreak, actor) -> None:
    _require_stockrecord_owner(user=actor, stockrecord=price_break.stockrecord)
    price_break.delete()
