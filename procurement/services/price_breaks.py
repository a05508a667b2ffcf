"""Producers' bulk price breaks on their stock records."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from procurement.exceptions import (
    OrderError,
    ProcurementPermissionDenied,
)
from procurement.models import (
    PriceBreak,
    money,
)
from producers.selectors import producer_is_managed_by


def _require_stockrecord_owner(*, user, stockrecord) -> None:
    producer = stockrecord.product.producer
    if producer is None or not producer_is_managed_by(producer=producer, user=user):
        raise ProcurementPermissionDenied(_("只有该商品的供应商可以设置批量价格。"))


@transaction.atomic
def price_break_set(*, stockrecord, actor, min_quantity: int, unit_price: Decimal) -> PriceBreak:
    _require_stockrecord_owner(user=actor, stockrecord=stockrecord)
    unit_price = money(unit_price)
    if min_quantity < 2:
        raise OrderError(_("阶梯价的起订数量至少为 2。"))
    if unit_price <= 0 or unit_price >= stockrecord.price:
        raise OrderError(
            _("批量单价应高于 0 且低于零售价 ¥%(price)s。") % {"price": stockrecord.price}
        )
    price_break, _created = PriceBreak.objects.update_or_create(
        stockrecord=stockrecord, min_quantity=min_quantity, defaults={"unit_price": unit_price}
    )
    return price_break


@transaction.atomic
def price_break_remove(*, price_break: PriceBreak, actor) -> None:
    _require_stockrecord_owner(user=actor, stockrecord=price_break.stockrecord)
    price_break.delete()
