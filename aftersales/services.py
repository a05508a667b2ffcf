"""Writes of after-sales: cancel before shipping, per-line refund-only and
return requests, the producer's decision, escalation and staff arbitration,
the return waybill and receipt, and the one refund service every path ends in
(``case_refund``)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext
from oscar.core.loading import get_model

from aftersales import rules
from aftersales.exceptions import (
    LineNotRequestable,
    NothingPaid,
    OrderNotCancellable,
    OrderNotYours,
    PhotoRefused,
    QuantityInvalid,
    RefundExceedsPaid,
    ReturnWaybillRequired,
    TooManyPhotos,
)
from aftersales.lock_objects import case_lock
from aftersales.models import AfterSalesCase, CaseKind, CasePhoto, CaseStatus
from aftersales.notifications import (
    case_decided_notify,
    case_refunded_notify,
    case_requested_notify,
)
from aftersales.workflows import CASE_WORKFLOW, Action
from common.order_status import order_status_label
from common.roles import is_platform_staff
from common.uploads import document_rename, photo_check
from partner.lock_objects import order_lock, stockrecords_lock
from payments.exceptions import BankRefundExceedsPaid, StripeRefundExceedsPaid
from payments.methods import STRIPE_CARD_CODE
from payments.selectors import order_paid_money
from payments.services import (
    bank_transfer_refund_owe,
    order_cancel_locked,
    stripe_open_intents_cancel,
    stripe_refund_create,
)
from producers.models import Producer, Shipment

Order = get_model("order", "Order")

WAYBILL_MAX_LENGTH = 64


def case_idempotency_key(case: AfterSalesCase) -> str:
    """The refund of one case is sent to Stripe once, however often it is retried."""
    return f"aftersales-case-{case.pk}"


def _line_taken(*, line, exclude_pk=None) -> tuple[int, Decimal]:
    """Units and money of a line that refunds and open requests hold."""
    cases = AfterSalesCase.objects.filter(line=line).exclude(status=CaseStatus.CLOSED)
    if exclude_pk is not None:
        cases = cases.exclude(pk=exclude_pk)
    totals = cases.aggregate(quantity=Sum("quantity"), amount=Sum("amount"))
    return totals["quantity"] or 0, totals["amount"] or Decimal("0.00")


def case_refund(*, case: AfterSalesCase, actor) -> AfterSalesCase:
    """Give a case's money back, the one way every case is refunded: through
    Stripe for card payments (the idempotency key comes from the case), as a
    refund owed for bank transfers (staff settle it with the bank's reference).
    Never more than the line's price for what is left of it, nor what the order
    still holds of the buyer's money. Call inside the caller's transaction with
    the order locked."""
    paid = order_paid_money(order=case.order)
    if paid is None:
        raise NothingPaid(params={"number": case.order.number})
    if case.line_id is not None:
        _quantity, other = _line_taken(line=case.line, exclude_pk=case.pk)
        line_left = case.line.line_price_incl_tax - other
        if case.amount > line_left:
            raise RefundExceedsPaid(params={"amount": case.amount, "refundable": line_left})
    if case.amount > paid.refundable:
        raise RefundExceedsPaid(params={"amount": case.amount, "refundable": paid.refundable})
    fields = []
    if case.amount > 0:
        try:
            if paid.method == STRIPE_CARD_CODE:
                case.stripe_refund = stripe_refund_create(
                    order_id=case.order_id,
                    amount=case.amount,
                    idempotency_key=case_idempotency_key(case),
                    actor=actor,
                )
                fields = ["stripe_refund"]
            else:
                case.bank_refund = bank_transfer_refund_owe(
                    order_id=case.order_id, amount=case.amount
                )
                fields = ["bank_refund"]
        except (StripeRefundExceedsPaid, BankRefundExceedsPaid) as exc:
            raise RefundExceedsPaid(
                params={"amount": case.amount, "refundable": exc.params.get("refundable")}
            ) from exc
    CASE_WORKFLOW.apply(case, Action.REFUND, actor, update_fields=fields)
    transaction.on_commit(lambda: case_refunded_notify(case=case))
    return case


def _require_buyer_or_staff(*, order, actor) -> None:
    if not (order.user_id is not None and order.user_id == actor.pk) and not is_platform_staff(
        actor
    ):
        raise OrderNotYours()


def order_cancel(*, order_id: int, actor, reason: str = "") -> AfterSalesCase | None:
    """Cancel an order before anything in it ships (the buyer, or staff).

    Awaiting payment: its PaymentIntents are cancelled at Stripe first (one
    that went through meanwhile makes it a paid order), then the stock is
    released. Paid: the stock is released too, and everything paid goes back
    through ``case_refund`` under a cancellation case, which is returned."""
    order = Order.objects.get(pk=order_id)
    _require_buyer_or_staff(order=order, actor=actor)
    shipped = Shipment.objects.filter(order=order).exists()
    if not rules.order_is_cancellable(status=order.status, shipped=shipped):
        raise OrderNotCancellable(
            params={"number": order.number, "status": order_status_label(order.status)}
        )
    if order.status == settings.ORDER_STATUS_PENDING_PAYMENT:
        stripe_open_intents_cancel(order=order)
    with transaction.atomic():
        order = order_lock(pk=order_id)
        shipped = Shipment.objects.filter(order=order).exists()
        if not rules.order_is_cancellable(status=order.status, shipped=shipped):
            raise OrderNotCancellable(
                params={"number": order.number, "status": order_status_label(order.status)}
            )
        paid = order_paid_money(order=order)
        order_cancel_locked(
            order=order,
            actor=actor,
            note=gettext("订单已由%(who)s在发货前取消，库存已释放。")
            % {"who": gettext("平台工作人员") if order.user_id != actor.pk else gettext("买家")},
        )
        if paid is None or paid.refundable <= 0:
            return None
        case = AfterSalesCase.objects.create(
            order=order,
            kind=CaseKind.CANCEL,
            status=CaseStatus.ACCEPTED,
            amount=paid.refundable,
            description=(reason or "").strip(),
            created_by=actor,
        )
        CASE_WORKFLOW.start(case, Action.CANCEL, actor, reason=reason)
        return case_refund(case=case, actor=actor)


def _photos_checked(photos) -> list:
    photos = list(photos or [])
    if len(photos) > settings.AFTERSALES_MAX_PHOTOS:
        raise TooManyPhotos(params={"max": settings.AFTERSALES_MAX_PHOTOS})
    checked = []
    for photo in photos:
        try:
            checked.append((photo, photo_check(photo)))
        except ValidationError as exc:
            raise PhotoRefused(
                params={"name": getattr(photo, "name", ""), "why": " ".join(exc.messages)}
            ) from None
    return checked


@transaction.atomic
def case_request(
    *,
    order_id: int,
    line_id: int,
    actor,
    kind: str,
    quantity: int,
    reason: str,
    description: str = "",
    photos=(),
) -> AfterSalesCase:
    """The buyer asks for a refund-only or a return-and-refund of ``quantity``
    units of a shipped line, with a reason and checked photos. The order row is
    locked first, so two requests for the same units cannot both pass."""
    if kind not in (CaseKind.REFUND_ONLY, CaseKind.RETURN_REFUND):
        raise LineNotRequestable()
    checked = _photos_checked(photos)
    order = order_lock(pk=order_id)
    if order.user_id is None or order.user_id != actor.pk:
        raise OrderNotYours()
    line = order.lines.filter(pk=line_id).first()
    if line is None or not rules.line_is_requestable(line_status=line.status):
        raise LineNotRequestable()
    taken_quantity, taken_amount = _line_taken(line=line)
    still_open = rules.line_quantity_open(
        line_quantity=line.quantity, earlier_quantity=taken_quantity
    )
    if not isinstance(quantity, int) or not 1 <= quantity <= still_open:
        raise QuantityInvalid(params={"open": still_open})
    now = timezone.now()
    case = AfterSalesCase.objects.create(
        order=order,
        line=line,
        producer=Producer.objects.filter(partner_id=line.partner_id).first(),
        kind=kind,
        status=CaseStatus.REQUESTED,
        quantity=quantity,
        amount=rules.line_refund_amount(
            line_total=line.line_price_incl_tax,
            line_quantity=line.quantity,
            quantity=quantity,
            earlier_quantity=taken_quantity,
            earlier_amount=taken_amount,
        ),
        reason=reason,
        description=(description or "").strip(),
        respond_by=rules.case_respond_by(requested_at=now),
        created_by=actor,
    )
    CASE_WORKFLOW.start(case, Action.REQUEST, actor)
    for photo, check in checked:
        document_rename(photo, check)
        CasePhoto.objects.create(case=case, image=photo)
    if case.producer_id:
        transaction.on_commit(lambda: case_requested_notify(case=case))
    return case


def _locked(case_id: int) -> AfterSalesCase:
    order_id = AfterSalesCase.objects.filter(pk=case_id).values_list("order_id", flat=True).get()
    order_lock(pk=order_id)
    return case_lock(pk=case_id)


def _decided(case: AfterSalesCase) -> None:
    transaction.on_commit(lambda: case_decided_notify(case=case))


@transaction.atomic
def case_accept(*, case_id: int, actor) -> AfterSalesCase:
    """The producer agrees: a refund-only case is refunded at once, a return
    waits for the goods."""
    case = _locked(case_id)
    CASE_WORKFLOW.apply(case, Action.ACCEPT, actor)
    _decided(case)
    if not case.is_return:
        case_refund(case=case, actor=actor)
    return case


@transaction.atomic
def case_reject(*, case_id: int, actor, reason: str) -> AfterSalesCase:
    case = _locked(case_id)
    CASE_WORKFLOW.apply(case, Action.REJECT, actor, reason=reason)
    _decided(case)
    return case


@transaction.atomic
def case_dispute(*, case_id: int, actor, reason: str) -> AfterSalesCase:
    """The buyer does not accept the producer's rejection: staff decide."""
    case = _locked(case_id)
    CASE_WORKFLOW.apply(case, Action.DISPUTE, actor, reason=reason)
    return case


@transaction.atomic
def case_withdraw(*, case_id: int, actor) -> AfterSalesCase:
    """The buyer drops the request; its units are free for another one."""
    case = _locked(case_id)
    CASE_WORKFLOW.apply(case, Action.WITHDRAW, actor)
    return case


@transaction.atomic
def case_arbitrate(*, case_id: int, actor, approve: bool, reason: str = "") -> AfterSalesCase:
    """Staff decide an escalated case: approved goes on as if the producer
    had accepted it; declined closes it, with the reason."""
    case = _locked(case_id)
    if approve:
        CASE_WORKFLOW.apply(case, Action.APPROVE, actor, reason=reason)
        _decided(case)
        if not case.is_return:
            case_refund(case=case, actor=actor)
    else:
        CASE_WORKFLOW.apply(case, Action.DECLINE, actor, reason=reason)
        _decided(case)
    return case


@transaction.atomic
def case_ship_back(*, case_id: int, actor, carrier: str, tracking_number: str) -> AfterSalesCase:
    """The buyer sent the goods back: the carrier and waybill the producer
    looks for."""
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if not carrier or not tracking_number:
        raise ReturnWaybillRequired()
    case = _locked(case_id)
    case.return_carrier = carrier[:WAYBILL_MAX_LENGTH]
    case.return_tracking_number = tracking_number[:WAYBILL_MAX_LENGTH]
    CASE_WORKFLOW.apply(
        case,
        Action.SHIP_BACK,
        actor,
        update_fields=["return_carrier", "return_tracking_number"],
    )
    return case


@transaction.atomic
def case_receive_return(*, case_id: int, actor) -> AfterSalesCase:
    """The producer (or staff) has the goods back: they go back into stock
    (stock row locked) and the case is refunded."""
    case = _locked(case_id)
    CASE_WORKFLOW.apply(case, Action.RECEIVE, actor)
    line = case.line
    if line.stockrecord_id:
        record = stockrecords_lock(ids=[line.stockrecord_id]).get(line.stockrecord_id)
        if record is not None and record.num_in_stock is not None:
            record.num_in_stock += case.quantity
            record.save(update_fields=["num_in_stock"])
    return case_refund(case=case, actor=actor)


def cases_escalate_overdue(*, now=None) -> list[int]:
    """Hand every request its producer left unanswered past its deadline to
    staff (the system takes the step). Returns the escalated cases' ids."""
    now = now or timezone.now()
    due = AfterSalesCase.objects.filter(
        status=CaseStatus.REQUESTED, respond_by__lte=now
    ).values_list("pk", flat=True)
    escalated = []
    for case_id in list(due.order_by("pk")):
        with transaction.atomic():
            case = _locked(case_id)
            if case.status != CaseStatus.REQUESTED or not rules.case_is_overdue(
                respond_by=case.respond_by, now=now
            ):
                continue
            CASE_WORKFLOW.apply(case, Action.ESCALATE, None)
            escalated.append(case.pk)
    return escalated
