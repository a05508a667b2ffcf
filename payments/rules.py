"""The rules of paying by bank transfer, each in one place; services, forms,
views and templates call them."""

import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings

from common.exceptions import DomainError
from payments.exceptions import PaidOnlyByStripe, PaidOnlyThroughReceipts
from payments.methods import BANK_TRANSFER_CODE, STRIPE_CARD_CODE

_WHITESPACE = re.compile(r"\s+")


def bank_reference_normalised(reference: str) -> str:
    """A bank serial number as stored and compared: statements and copies
    from them differ only in spaces and letter case, never in meaning."""
    return _WHITESPACE.sub("", reference or "").upper()


def order_pays_by_bank_transfer(order) -> bool:
    return order.sources.filter(source_type__code=BANK_TRANSFER_CODE).exists()


def order_status_change_refusal(order, new_status: str) -> DomainError | None:
    """Why staff may not move ``order`` to ``new_status`` by hand, or None.

    A bank-transfer order becomes paid only when the receipts recorded against
    it reach its total (``payments.services.bank_receipt_record``), so the
    money booked is always the money that arrived, under the bank's reference;
    a card order when Stripe confirms the charge (``stripe_payment_succeeded``).
    """
    if new_status == settings.ORDER_STATUS_PAID and order_pays_by_bank_transfer(order):
        return PaidOnlyThroughReceipts(order.number)
    if new_status == settings.ORDER_STATUS_PAID and order_pays_by_stripe(order):
        return PaidOnlyByStripe(order.number)
    return None


def stripe_card_offered() -> bool:
    """Card payment is offered only with both Stripe keys configured; bank
    transfer works as before without them."""
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


# The methods Stripe.js can confirm on our payment page, in the order offered.
STRIPE_METHODS_SUPPORTED = ("card", "alipay", "wechat_pay")


def stripe_payment_methods() -> list[str]:
    """The Stripe payment methods offered (``STRIPE_PAYMENT_METHODS``), card
    always among them: the order's PaymentIntent accepts each, so a buyer whose
    Alipay attempt fails pays the same intent by card, with no second order.
    Unknown names are refused at start-up (``payments.checks``)."""
    configured = _stripe_methods_configured()
    return [m for m in STRIPE_METHODS_SUPPORTED if m == "card" or m in configured]


def stripe_payment_methods_unknown() -> list[str]:
    return [m for m in _stripe_methods_configured() if m not in STRIPE_METHODS_SUPPORTED]


def _stripe_methods_configured() -> list[str]:
    return [m.strip() for m in settings.STRIPE_PAYMENT_METHODS if m.strip()]


def order_pays_by_stripe(order) -> bool:
    return order.sources.filter(source_type__code=STRIPE_CARD_CODE).exists()


def amount_in_fen(amount: Decimal) -> int:
    """Stripe counts CNY in its smallest unit, the fen (分)."""
    return int((Decimal(amount) * 100).to_integral_value())


def stripe_intent_idempotency_key(*, basket_id: int, amount: Decimal, attempt: int = 1) -> str:
    """The same basket for the same amount asks Stripe for the same
    PaymentIntent (a resubmitted checkout creates no second one); a retry
    after a declined card is a new attempt."""
    key = f"basket-{basket_id}-cny-{amount_in_fen(amount)}"
    return key if attempt == 1 else f"{key}-attempt-{attempt}"


def stripe_payment_expires_before(now):
    """Orders awaiting card payment placed before this are expired."""
    return now - timedelta(minutes=settings.STRIPE_PAYMENT_TIMEOUT_MINUTES)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def stripe_payment_page_csp() -> dict[str, list[str]]:
    """What the card payment page adds to the strict Content-Security-Policy,
    and no other page: Stripe.js's origin for its script and frames (3-D
    Secure), and the API it calls from the browser."""
    js = _origin(settings.STRIPE_JS_URL)
    api = _origin(settings.STRIPE_API_BASE or "https://api.stripe.com")
    frames = [js] if settings.STRIPE_API_BASE else [js, "https://hooks.stripe.com"]
    return {"script-src": [js], "connect-src": sorted({js, api}), "frame-src": frames}
