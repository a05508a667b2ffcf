"""Card payments through Stripe PaymentIntents.

Checkout asks Stripe for a PaymentIntent before it places the order
(``stripe_payment_intent_create``), and the order waits for payment with its
stock allocated. The buyer's card goes from the page to Stripe (Stripe.js
turns it into a token); our server only ever sees the token's id, attaches it
to the intent and confirms it (``stripe_card_pay``); 3-D Secure runs in the
page. Stripe's word on the outcome — a webhook or a fresh read of the intent —
moves the order to paid (``stripe_payment_succeeded``), idempotently and under
row locks, whichever arrives first. Orders that wait too long are cancelled
(``stripe_unpaid_orders_expire``).
"""

import json
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from oscar.core.loading import get_class, get_model

from partner.lock_objects import order_lock, stockrecords_lock
from payments.exceptions import (
    StripeAmountMismatch,
    StripeCardDeclined,
    StripeCardInvalid,
    StripeOrderNotPayable,
    StripeRefundAmountInvalid,
    StripeRefundBeforePayment,
    StripeRefundExceedsPaid,
    StripeRefundFailed,
    StripeRefundNotPaid,
    StripeSignatureInvalid,
    StripeUnavailable,
    StripeUnknownPayment,
)
from payments.lock_objects import order_source_lock, stripe_payments_lock
from payments.methods import (
    PAID_EVENT_NAME,
    STRIPE_CARD_CODE,
    STRIPE_CARD_NAME,
    STRIPE_REFUND_EVENT_NAME,
)
from payments.models import StripeEvent, StripePayment, StripePaymentStatus, StripeRefund
from payments.notifications import order_paid_email_send
from payments.rules import (
    amount_in_fen,
    stripe_intent_idempotency_key,
    stripe_payment_expires_before,
    stripe_payment_methods,
)

logger = logging.getLogger(__name__)

EventHandler = get_class("order.processing", "EventHandler")
Order = get_model("order", "Order")
SourceType = get_model("payment", "SourceType")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEvent = get_model("order", "PaymentEvent")

CENT = Decimal("0.01")
# Card errors whose fault is in what was typed rather than the bank's refusal.
INVALID_CARD_CODES = {
    "incorrect_number",
    "invalid_number",
    "invalid_expiry_month",
    "invalid_expiry_year",
    "invalid_cvc",
    "incorrect_cvc",
    "expired_card",
}


def stripe_client() -> stripe.StripeClient:
    """A client for our account; STRIPE_API_BASE points it elsewhere (localstripe)."""
    extra = {}
    if settings.STRIPE_API_BASE:
        extra["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, max_network_retries=2, **extra)


def stripe_card_source_type():
    source_type, _created = SourceType.objects.get_or_create(
        code=STRIPE_CARD_CODE, defaults={"name": str(STRIPE_CARD_NAME)}
    )
    return source_type


def stripe_payment_intent_create(
    *, basket_id: int, amount: Decimal, currency: str, order_number: str, attempt: int = 1
):
    """Ask Stripe for a PaymentIntent for ``amount`` (yuan); the same basket
    and amount get the same intent back (idempotency key), so a checkout
    submitted twice does not charge twice."""
    try:
        return stripe_client().v1.payment_intents.create(
            params={
                "amount": amount_in_fen(amount),
                "currency": currency.lower(),
                "payment_method_types": stripe_payment_methods(),
                "metadata": {"order_number": order_number},
            },
            options={
                "idempotency_key": stripe_intent_idempotency_key(
                    basket_id=basket_id, amount=amount, attempt=attempt
                )
            },
        )
    except stripe.StripeError as exc:
        logger.warning("Stripe refused a PaymentIntent for order %s: %s", order_number, exc)
        raise StripeUnavailable() from exc


def stripe_payment_record(*, order, intent) -> StripePayment:
    """The order placed for ``intent``: remember which intent pays it."""
    return StripePayment.objects.create(
        order=order,
        intent_id=intent.id,
        amount=(Decimal(intent.amount) / 100).quantize(CENT),
        currency=intent.currency.upper(),
    )


def stripe_open_payment(*, order) -> StripePayment:
    """The intent the buyer can pay ``order`` with now."""
    payment = (
        StripePayment.objects.filter(order=order, status=StripePaymentStatus.OPEN)
        .order_by("-pk")
        .first()
    )
    if payment is None or order.status != settings.ORDER_STATUS_PENDING_PAYMENT:
        raise StripeOrderNotPayable(params={"number": order.number})
    return payment


def stripe_intent_client_secret(*, payment: StripePayment) -> str:
    """The client secret Stripe.js confirms ``payment``'s intent with in the
    buyer's browser (Alipay, WeChat Pay): it pays this intent only."""
    try:
        return stripe_client().v1.payment_intents.retrieve(payment.intent_id).client_secret
    except stripe.StripeError as exc:
        raise StripeUnavailable() from exc


@dataclass(frozen=True)
class CardPayResult:
    status: str  # succeeded, requires_action or processing
    client_secret: str = ""


def stripe_card_pay(*, order, token_id: str) -> CardPayResult:
    """Attach the card Stripe.js tokenised to the order's open intent and
    confirm it. A declined card leaves the order waiting, with a fresh intent
    for the next card; 3-D Secure comes back as ``requires_action`` with the
    client secret the page confirms it with."""
    payment = stripe_open_payment(order=order)
    client = stripe_client()
    try:
        token = client.v1.tokens.retrieve(token_id)
        client.v1.payment_intents.update(
            payment.intent_id, params={"payment_method": token.card.id}
        )
        intent = client.v1.payment_intents.confirm(payment.intent_id)
    except stripe.CardError as exc:
        _payment_replace(payment=payment)
        if exc.code in INVALID_CARD_CODES:
            raise StripeCardInvalid() from exc
        raise StripeCardDeclined() from exc
    except stripe.InvalidRequestError as exc:
        raise StripeCardInvalid() from exc
    except stripe.StripeError as exc:
        raise StripeUnavailable() from exc
    if intent.status == "succeeded":
        stripe_payment_succeeded(
            intent_id=intent.id, amount=intent.amount, currency=intent.currency
        )
        return CardPayResult(status="succeeded")
    if intent.status == "requires_action":
        return CardPayResult(status="requires_action", client_secret=intent.client_secret)
    if intent.status == "processing":
        return CardPayResult(status="processing")
    _payment_replace(payment=payment)
    raise StripeCardDeclined()


def _payment_replace(*, payment: StripePayment) -> StripePayment:
    """A fresh intent for the same order after a declined card (Stripe keeps
    the failed charge on the old one, which is cancelled)."""
    order = payment.order
    try:
        stripe_client().v1.payment_intents.cancel(payment.intent_id)
    except stripe.StripeError as exc:
        logger.warning("Could not cancel PaymentIntent %s: %s", payment.intent_id, exc)
    attempt = StripePayment.objects.filter(order=order).count() + 1
    intent = stripe_payment_intent_create(
        basket_id=order.basket_id or 0,
        amount=payment.amount,
        currency=payment.currency,
        order_number=order.number,
        attempt=attempt,
    )
    with transaction.atomic():
        order_lock(pk=order.pk)
        StripePayment.objects.filter(pk=payment.pk, status=StripePaymentStatus.OPEN).update(
            status=StripePaymentStatus.CANCELLED
        )
        return stripe_payment_record(order=order, intent=intent)


def stripe_payment_sync(*, order) -> bool:
    """Read the order's open intent from Stripe and apply its outcome (the
    buyer came back from 3-D Secure before the webhook). True if paid now."""
    payment = StripePayment.objects.filter(order=order).order_by("-pk").first()
    if payment is None:
        return False
    if payment.status == StripePaymentStatus.SUCCEEDED:
        return True
    try:
        intent = stripe_client().v1.payment_intents.retrieve(payment.intent_id)
    except stripe.StripeError as exc:
        raise StripeUnavailable() from exc
    if intent.status != "succeeded":
        return False
    stripe_payment_succeeded(intent_id=intent.id, amount=intent.amount, currency=intent.currency)
    return True


def _paid_event_type():
    event_type, _created = PaymentEventType.objects.get_or_create(
        code="paid", defaults={"name": PAID_EVENT_NAME}
    )
    return event_type


@transaction.atomic
def stripe_payment_succeeded(*, intent_id: str, amount: int, currency: str) -> bool:
    """Stripe took the money for ``intent_id`` (``amount`` in fen): book it on
    the order and move the order to paid, once. Amount and currency must be
    what the order asked for. Returns False when it was booked already."""
    order_id = (
        StripePayment.objects.filter(intent_id=intent_id).values_list("order_id", flat=True).first()
    )
    if order_id is None:
        raise StripeUnknownPayment(params={"intent": intent_id})
    order = order_lock(pk=order_id)
    source = order_source_lock(order=order, source_type_code=STRIPE_CARD_CODE)
    payments = {p.intent_id: p for p in stripe_payments_lock(order=order)}
    payment = payments[intent_id]
    if payment.status == StripePaymentStatus.SUCCEEDED:
        return False
    if amount != amount_in_fen(payment.amount) or currency.upper() != payment.currency:
        raise StripeAmountMismatch(
            params={
                "amount": amount,
                "currency": currency,
                "number": order.number,
                "due": payment.amount,
            }
        )
    if any(p.status == StripePaymentStatus.SUCCEEDED for p in payments.values()):
        # A second intent of the same order went through (a cancelled one
        # raced its cancellation): the money is booked on the order but the
        # order is paid only once; staff refund the extra.
        logger.error("Order %s paid twice through Stripe (%s)", order.number, intent_id)
    else:
        payment.status = StripePaymentStatus.SUCCEEDED
        payment.save(update_fields=["status"])
    PaymentEvent.objects.create(
        order=order, event_type=_paid_event_type(), amount=payment.amount, reference=intent_id
    )
    source.debit(payment.amount, reference=intent_id)
    if order.status == settings.ORDER_STATUS_PENDING_PAYMENT:
        EventHandler().handle_order_status_change(
            order,
            settings.ORDER_STATUS_PAID,
            note_msg=gettext("银行卡付款 %(amount)s 元已由 Stripe 确认（%(intent)s），订单已付款。")
            % {"amount": payment.amount, "intent": intent_id},
        )
        transaction.on_commit(lambda: order_paid_email_send(order_id=order.pk))
    else:
        # Cancelled meanwhile, or paid through another intent: the money
        # goes straight back once this booking commits.
        order.notes.create(
            note_type="System",
            message=gettext(
                "订单状态为 %(status)s 时收到银行卡付款 %(amount)s 元（%(intent)s），款项将自动原路退回。"
            )
            % {"status": order.status, "amount": payment.amount, "intent": intent_id},
        )
        transaction.on_commit(lambda: _unwanted_payment_refund_enqueue(intent_id), robust=True)
    return True


def _unwanted_payment_refund_enqueue(intent_id: str) -> None:
    # The task module imports these services: imported here, when it runs.
    from payments.tasks import payments_refund_unwanted

    payments_refund_unwanted.delay(intent_id)


def stripe_payment_unwanted(*, order, payment: StripePayment) -> bool:
    """Money Stripe took through ``payment`` that ``order`` does not keep:
    the order was cancelled, or another of its intents is the one that paid
    it (an order is paid once)."""
    return (
        order.status == settings.ORDER_STATUS_CANCELLED
        or payment.status != StripePaymentStatus.SUCCEEDED
    )


@transaction.atomic
def stripe_unwanted_payment_refund(*, intent_id: str) -> StripeRefund | None:
    """Send back, whole and once, money booked through ``intent_id`` for an
    order that does not keep it (``stripe_payment_unwanted``); the intent's
    own id makes the idempotency key, so a retried task refunds once. None
    when there is nothing to send back (the order keeps it, or it was
    refunded already)."""
    order_id = (
        StripePayment.objects.filter(intent_id=intent_id).values_list("order_id", flat=True).first()
    )
    if order_id is None:
        raise StripeUnknownPayment(params={"intent": intent_id})
    order = order_lock(pk=order_id)
    source = order_source_lock(order=order, source_type_code=STRIPE_CARD_CODE)
    payment = next(p for p in stripe_payments_lock(order=order) if p.intent_id == intent_id)
    key = f"unwanted-payment-{intent_id}"
    earlier = StripeRefund.objects.filter(idempotency_key=key).first()
    if earlier is not None or source is None:
        return earlier
    if not stripe_payment_unwanted(order=order, payment=payment):
        return None
    amount = min(payment.amount, source.amount_debited - source.amount_refunded)
    if amount <= 0:
        return None
    refund = _refund_send(
        order=order,
        source=source,
        payment=payment,
        amount=amount,
        idempotency_key=key,
        reason="unwanted_payment",
    )
    order.notes.create(
        note_type="System",
        message=gettext("已自动退回银行卡付款 %(amount)s 元（%(intent)s）。")
        % {"amount": amount, "intent": intent_id},
    )
    return refund


def stripe_event_verify(*, payload: bytes, signature: str) -> dict:
    """The event Stripe signed with STRIPE_WEBHOOK_SECRET at most
    STRIPE_WEBHOOK_TOLERANCE_SECONDS ago (older: a replay); anything else
    raises StripeSignatureInvalid."""
    if not settings.STRIPE_WEBHOOK_SECRET or not signature:
        raise StripeSignatureInvalid()
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(
            text,
            signature,
            settings.STRIPE_WEBHOOK_SECRET,
            tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
        )
        event = json.loads(text)
    except (stripe.SignatureVerificationError, ValueError):
        raise StripeSignatureInvalid() from None
    if not isinstance(event, dict) or not {"id", "type", "data"} <= event.keys():
        raise StripeSignatureInvalid()
    return event


def stripe_event_record(*, event_id: str, event_type: str) -> bool:
    """Remember an event as handled; False if it was handled already. Call
    inside the transaction that applies it, so a failure forgets it too."""
    try:
        with transaction.atomic():
            StripeEvent.objects.create(event_id=event_id, event_type=event_type)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def stripe_event_handle(*, event) -> bool:
    """Apply one verified webhook event, once. Returns False for a duplicate
    or an event we do not act on."""
    if not stripe_event_record(event_id=event["id"], event_type=event["type"]):
        return False
    obj = event["data"]["object"]
    if event["type"] == "payment_intent.succeeded":
        return stripe_payment_succeeded(
            intent_id=obj["id"], amount=obj["amount"], currency=obj["currency"]
        )
    if event["type"] == "payment_intent.payment_failed":
        # The order keeps waiting; the buyer retries on the payment page.
        if not StripePayment.objects.filter(intent_id=obj["id"]).exists():
            raise StripeUnknownPayment(params={"intent": obj["id"]})
        return False
    if event["type"] == "charge.refunded":
        return _charge_refunded(charge=obj)
    return False


def _charge_refunded(*, charge) -> bool:
    """Record the refunds of a charge we have not recorded yet (those asked
    for in Stripe's dashboard; ours were recorded when we asked)."""
    intent_id = charge.get("payment_intent")
    order_id = (
        StripePayment.objects.filter(intent_id=intent_id).values_list("order_id", flat=True).first()
    )
    if order_id is None:
        raise StripeUnknownPayment(params={"intent": intent_id})
    order = order_lock(pk=order_id)
    source = order_source_lock(order=order, source_type_code=STRIPE_CARD_CODE)
    payment = next(p for p in stripe_payments_lock(order=order) if p.intent_id == intent_id)
    if payment.status != StripePaymentStatus.SUCCEEDED:
        raise StripeRefundBeforePayment(params={"number": order.number})
    recorded = False
    for refund in (charge.get("refunds") or {}).get("data", []):
        if refund.get("status") not in (None, "succeeded", "pending"):
            continue
        if StripeRefund.objects.filter(refund_id=refund["id"]).exists():
            continue
        _refund_book(
            order=order,
            source=source,
            payment=payment,
            refund_id=refund["id"],
            amount=(Decimal(refund["amount"]) / 100).quantize(CENT),
        )
        recorded = True
    return recorded


def _refund_book(
    *, order, source, payment, refund_id, amount, idempotency_key="", actor=None
) -> StripeRefund:
    event_type, _created = PaymentEventType.objects.get_or_create(
        code="refunded", defaults={"name": STRIPE_REFUND_EVENT_NAME}
    )
    PaymentEvent.objects.create(
        order=order, event_type=event_type, amount=amount, reference=refund_id
    )
    source.refund(amount, reference=refund_id)
    return StripeRefund.objects.create(
        payment=payment,
        order=order,
        refund_id=refund_id,
        idempotency_key=idempotency_key,
        amount=amount,
        created_by=actor,
    )


def _refund_amount(amount) -> Decimal:
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise StripeRefundAmountInvalid() from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        raise StripeRefundAmountInvalid()
    return amount.quantize(CENT)


@transaction.atomic
def stripe_refund_create(
    *, order_id: int, amount: Decimal, idempotency_key: str, actor=None
) -> StripeRefund:
    """Send ``amount`` (yuan) of a card payment back through Stripe and
    record it. Never more than was paid less what was refunded; the same
    ``idempotency_key`` refunds once (Stripe is given it too), so a retried
    request returns the first refund. The order stays locked during Stripe's
    call: two refunds of one order cannot both pass the limit."""
    amount = _refund_amount(amount)
    order = order_lock(pk=order_id)
    source = order_source_lock(order=order, source_type_code=STRIPE_CARD_CODE)
    earlier = StripeRefund.objects.filter(idempotency_key=idempotency_key).first()
    if earlier is not None:
        return earlier
    payment = next(
        (p for p in stripe_payments_lock(order=order) if p.status == StripePaymentStatus.SUCCEEDED),
        None,
    )
    if source is None or payment is None:
        raise StripeRefundNotPaid(params={"number": order.number})
    refundable = source.amount_debited - source.amount_refunded
    if amount > refundable:
        raise StripeRefundExceedsPaid(
            params={"amount": amount, "number": order.number, "refundable": refundable}
        )
    return _refund_send(
        order=order,
        source=source,
        payment=payment,
        amount=amount,
        idempotency_key=idempotency_key,
        actor=actor,
    )


def _refund_send(
    *, order, source, payment, amount, idempotency_key, actor=None, reason=""
) -> StripeRefund:
    """Ask Stripe to send ``amount`` of ``payment``'s intent back (the key
    makes a retry refund once) and book the refund; the caller holds the
    order's lock and has checked the amount. StripeRefundFailed if Stripe
    refuses or cannot be reached: nothing is booked."""
    metadata = {"order_number": order.number, **({"reason": reason} if reason else {})}
    try:
        refund = stripe_client().v1.refunds.create(
            params={
                "payment_intent": payment.intent_id,
                "amount": amount_in_fen(amount),
                "metadata": metadata,
            },
            options={"idempotency_key": idempotency_key},
        )
    except stripe.StripeError as exc:
        logger.warning(
            "Stripe refused a refund of order %s (%s): %s", order.number, payment.intent_id, exc
        )
        raise StripeRefundFailed() from exc
    return _refund_book(
        order=order,
        source=source,
        payment=payment,
        refund_id=refund.id,
        amount=amount,
        idempotency_key=idempotency_key,
        actor=actor,
    )


def stripe_open_intents_cancel(*, order) -> bool:
    """Cancel the order's open PaymentIntents at Stripe, before the order is
    cancelled here. One that went through after all pays the order instead
    (False); one Stripe cannot be reached about raises StripeUnavailable."""
    client = stripe_client()
    for payment in StripePayment.objects.filter(order=order, status=StripePaymentStatus.OPEN):
        try:
            client.v1.payment_intents.cancel(payment.intent_id)
        except stripe.StripeError as exc:
            try:
                intent = client.v1.payment_intents.retrieve(payment.intent_id)
            except stripe.StripeError:
                raise StripeUnavailable() from exc
            if intent.status == "succeeded":
                stripe_payment_succeeded(
                    intent_id=intent.id, amount=intent.amount, currency=intent.currency
                )
                return False
            if intent.status != "canceled":
                raise StripeUnavailable() from exc
    return True


def order_cancel_locked(*, order, note: str, actor=None) -> None:
    """Cancel ``order``, locked by the caller inside its transaction: its open
    intents are marked cancelled (``stripe_open_intents_cancel`` cancelled them
    at Stripe first), the stock its unshipped lines hold is released, and the
    status moves to cancelled with ``note``. The one place an order dies:
    expiry and the buyer's or staff's cancellation both come here."""
    StripePayment.objects.filter(order=order, status=StripePaymentStatus.OPEN).update(
        status=StripePaymentStatus.CANCELLED
    )
    lines = list(order.lines.order_by("pk"))
    locked = stockrecords_lock(ids=[line.stockrecord_id for line in lines if line.stockrecord_id])
    for line in lines:
        if line.stockrecord_id in locked:
            locked[line.stockrecord_id].cancel_allocation(line.quantity)
    EventHandler(user=actor).handle_order_status_change(
        order, settings.ORDER_STATUS_CANCELLED, note_msg=note
    )


def stripe_order_expire(*, order_id: int, now=None) -> bool:
    """Cancel an order still waiting for card payment past the timeout:
    its intents are cancelled at Stripe first (one that went through after
    all pays the order instead), then its stock allocation is released.
    Returns True if it was cancelled."""
    now = now or timezone.now()
    order = Order.objects.get(pk=order_id)
    if order.status != settings.ORDER_STATUS_PENDING_PAYMENT:
        return False
    if not stripe_open_intents_cancel(order=order):
        return False
    with transaction.atomic():
        order = order_lock(pk=order_id)
        if order.status != settings.ORDER_STATUS_PENDING_PAYMENT:
            return False
        if order.date_placed >= stripe_payment_expires_before(now):
            return False
        order_cancel_locked(
            order=order,
            note=gettext("超过 %(minutes)s 分钟未完成银行卡付款，订单已自动取消，库存已释放。")
            % {"minutes": settings.STRIPE_PAYMENT_TIMEOUT_MINUTES},
        )
    return True


def stripe_unpaid_orders_expire(*, now=None) -> list[str]:
    """Cancel every order awaiting card payment past STRIPE_PAYMENT_TIMEOUT_MINUTES;
    bank-transfer orders are not touched (they have BANK_TRANSFER_DUE_DAYS)."""
    now = now or timezone.now()
    due = (
        Order.objects.filter(
            status=settings.ORDER_STATUS_PENDING_PAYMENT,
            date_placed__lt=stripe_payment_expires_before(now),
            stripe_payments__status=StripePaymentStatus.OPEN,
        )
        .distinct()
        .order_by("pk")
        .values_list("pk", "number")
    )
    expired = []
    for order_id, number in due:
        try:
            if stripe_order_expire(order_id=order_id, now=now):
                expired.append(number)
        except StripeUnavailable:
            logger.warning("Order %s not expired: Stripe did not answer", number)
    return expired
