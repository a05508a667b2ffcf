from django.conf import settings
from django.utils.translation import gettext_lazy as _

BANK_TRANSFER_CODE = "bank-transfer"
BANK_TRANSFER_NAME = _("银行转账（对公转账/银行汇款）")
PAID_EVENT_NAME = "已到账"
STRIPE_CARD_CODE = "stripe-card"
STRIPE_CARD_NAME = _("银行卡在线支付（Stripe）")
STRIPE_REFUND_EVENT_NAME = "已退款"
PAID_EVENT_CODE = "paid"
REFUNDED_EVENT_CODE = "refunded"
# What staff read for each kind of payment event on Oscar's dashboard order
# page (payments.templatetags.payment_event_tags), in their language; an event
# type not named here shows the name stored with it.
PAYMENT_EVENT_LABELS = {
    PAID_EVENT_CODE: _("已到账"),
    REFUNDED_EVENT_CODE: _("已退款"),
}


def payment_event_label(event_type) -> str:
    label = PAYMENT_EVENT_LABELS.get(event_type.code)
    return str(label) if label is not None else event_type.name


def bank_transfer_details() -> dict:
    """The account a buyer transfers to; the order number is the reference."""
    return {
        "account_name": settings.BANK_TRANSFER_ACCOUNT_NAME,
        "bank": settings.BANK_TRANSFER_BANK,
        "account_number": settings.BANK_TRANSFER_ACCOUNT_NUMBER,
        "due_days": settings.BANK_TRANSFER_DUE_DAYS,
    }
