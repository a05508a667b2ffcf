"""Purchase orders: drafting, submission, and the approval that creates contracts."""

import datetime
import uuid
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from procurement.exceptions import (
    OrderDeliveryDateInPast,
    OrderEmpty,
    OrderNotDraft,
    OrderPaymentTermsRequired,
    OrderProductUnavailable,
    OrderQuantityNegative,
    OrderStockShort,
)
from procurement.lock_objects import procurement_row_lock
from procurement.models import (
    BuyerOrganisation,
    Contract,
    ContractLine,
    PaymentTerms,
    PurchaseOrder,
    PurchaseOrderLine,
    money,
)
from procurement.rules import counting_unit_id, order_contributor_add, order_line_within_stock
from procurement.selectors import unit_price_for_quantity
from procurement.services._common import (
    Role,
    _members_with_role,
    _notify,
    _require_role,
)
from procurement.workflows import (
    CONTRACT_WORKFLOW,
    ORDER_WORKFLOW,
    ContractAction,
    OrderAction,
)

OrderStatus = PurchaseOrder.Status


@transaction.atomic
def purchase_order_create(
    *,
    organisation: BuyerOrganisation,
    purchaser,
    delivery_address: str,
    requested_delivery_date: datetime.date,
    payment_terms: str,
) -> PurchaseOrder:
    _require_role(user=purchaser, organisation=organisation, roles=[Role.PURCHASER])
    if requested_delivery_date < timezone.localdate():
        raise OrderDeliveryDateInPast()
    if payment_terms not in PaymentTerms.values:
        raise OrderPaymentTermsRequired()
    order = PurchaseOrder.objects.create(
        organisation=organisation,
        # A unique placeholder until the primary key gives the real number.
        number=f"TMP-{uuid.uuid4().hex[:24]}",
        purchaser=purchaser,
        delivery_address=delivery_address.strip(),
        requested_delivery_date=requested_delivery_date,
        payment_terms=payment_terms,
    )
    order.number = f"CG{timezone.localdate():%Y%m%d}{order.pk:06d}"
    order.save(update_fields=["number"])
    ORDER_WORKFLOW.start(order, OrderAction.CREATE, purchaser)
    order_contributor_add(order=order, user=purchaser)
    return order


def _require_draft(order: PurchaseOrder) -> None:
    if order.status != OrderStatus.DRAFT:
        raise OrderNotDraft()


@transaction.atomic
def purchase_order_line_set(
    *, order: PurchaseOrder, actor, stockrecord, quantity: int, is_preorder: bool = False
) -> PurchaseOrderLine | None:
    """Set a product's quantity on a draft order; zero removes the line."""
    order = procurement_row_lock(order)
    _require_role(user=actor, organisation=order.organisation, roles=[Role.PURCHASER])
    _require_draft(order)
    if quantity < 0:
        raise OrderQuantityNegative()
    product = stockrecord.product
    if not product.is_visible_to_public or product.producer_id is None or stockrecord.price is None:
        raise OrderProductUnavailable()
    order_contributor_add(order=order, user=actor)
    if quantity == 0:
        order.lines.filter(stockrecord=stockrecord).delete()
        return None
    line, _created = PurchaseOrderLine.objects.update_or_create(
        order=order,
        stockrecord=stockrecord,
        defaults={"product": product, "quantity": quantity, "is_preorder": is_preorder},
    )
    return line


@transaction.atomic
def purchase_order_submit(*, order: PurchaseOrder, actor) -> PurchaseOrder:
    """Send for approval, locking each line's unit price (price breaks applied)."""
    order = procurement_row_lock(order)
    ORDER_WORKFLOW.check(order, OrderAction.SUBMIT, actor)
    lines = list(order.lines.select_related("stockrecord__product"))
    if not lines:
        raise OrderEmpty()
    for line in lines:
        available = line.stockrecord.net_stock_level
        if not order_line_within_stock(
            quantity=line.quantity, available=available, is_preorder=line.is_preorder
        ):
            raise OrderStockShort(
                params={
                    "product": line.stockrecord.product.get_title(),
                    "quantity": line.quantity,
                    "available": max(available, 0),
                }
            )
    for line in lines:
        line.unit_price, line.price_break_min_quantity = unit_price_for_quantity(
            stockrecord=line.stockrecord, quantity=line.quantity
        )
        line.save(update_fields=["unit_price", "price_break_min_quantity"])
    order.submitted_at = timezone.now()
    ORDER_WORKFLOW.apply(order, OrderAction.SUBMIT, actor, update_fields=["submitted_at"])
    order_contributor_add(order=order, user=actor)
    approvers = [u for u in _members_with_role(order.organisation, Role.APPROVER) if u != actor]
    _notify(
        users=approvers,
        subject=_("采购单 %(number)s 待您审批") % {"number": order.number},
        body=_("%(unit)s 的采购单 %(number)s 已提交，请登录消费帮扶商城审批。")
        % {"unit": order.organisation.name, "number": order.number},
        link=reverse("procurement:order-detail", args=[order.pk]),
    )
    return order


def _contracts_create(*, order: PurchaseOrder, actor) -> list[Contract]:
    by_producer = defaultdict(list)
    for line in order.lines.select_related("product__producer").order_by("pk"):
        by_producer[line.product.producer].append(line)
    counting_unit = counting_unit_id(order.organisation)
    contracts = []
    for index, (producer, lines) in enumerate(
        sorted(by_producer.items(), key=lambda item: item[0].pk), start=1
    ):
        contract = Contract.objects.create(
            order=order,
            organisation=order.organisation,
            counting_unit_id=counting_unit,
            producer=producer,
            number=f"HT{order.number[2:]}-{index:02d}",
            payment_terms=order.payment_terms,
            goods_amount=sum(
                (money(line.quantity * line.unit_price) for line in lines), Decimal(0)
            ),
            payment_days=settings.PROCUREMENT_PAYMENT_DAYS,
            daily_interest_rate=settings.PROCUREMENT_DAILY_LATE_INTEREST,
        )
        ContractLine.objects.bulk_create(
            ContractLine(
                contract=contract,
                order_line=line,
                stockrecord_id=line.stockrecord_id,
                product_id=line.product_id,
                quantity=line.quantity,
                unit_price=line.unit_price,
                price_break_min_quantity=line.price_break_min_quantity,
            )
            for line in lines
        )
        # No stored reason: the page says why a contract began in the reader's
        # language (a stored text would stay in the language of the approver).
        CONTRACT_WORKFLOW.start(contract, ContractAction.CREATE, actor)
        contracts.append(contract)
    return contracts


@transaction.atomic
def purchase_order_decide(
    *, order: PurchaseOrder, actor, approve: bool, reason: str = ""
) -> PurchaseOrder:
    """Approve (one contract per producer) or reject; never by anyone who
    created, edited or submitted the order (``rules.order_may_be_decided_by``)."""
    order = procurement_row_lock(order)
    action = OrderAction.APPROVE if approve else OrderAction.REJECT
    order.approver = actor
    order.decided_at = timezone.now()
    ORDER_WORKFLOW.apply(
        order, action, actor, reason=reason, update_fields=["approver", "decided_at"]
    )
    _notify(
        users=[order.purchaser],
        subject=_("采购单 %(number)s 审批结果：%(status)s")
        % {"number": order.number, "status": order.get_status_display()},
        body=reason.strip() or _("采购单已审批通过，已按供应商生成合同。"),
        link=reverse("procurement:order-detail", args=[order.pk]),
    )
    if approve:
        for contract in _contracts_create(order=order, actor=actor):
            _notify(
                users=contract.producer.partner.users.all(),
                subject=_("新的采购合同 %(number)s 待确认") % {"number": contract.number},
                body=_(
                    "%(unit)s 向贵单位下达采购合同 %(number)s，金额 ¥%(amount)s，请登录确认或拒绝。"
                )
                % {
                    "unit": order.organisation.name,
                    "number": contract.number,
                    "amount": contract.goods_amount,
                },
                link=reverse("procurement:contract-detail", args=[contract.pk]),
            )
    return order
