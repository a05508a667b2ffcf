from django.conf import settings
from django.utils.translation import gettext_lazy as _

BANK_TRANSFER_CODE = "bank-transfer"
BANK_TRANSFER_NAME = _("银行转账（对公转账/银行汇款）")
PAID_EVENT_NAME = "已到账"
STRIPE_CARD_CODE = "stripe-card"
STRIPE_CARD_NAME = _("银行卡在线支付（Stripe）")
STRIPE_REFUND_EVENT_NAME = "已退款"


def bank_transfer_details() -> dict:
    """The account a buyer transfers to; the order number is the reference."""
    return {
        "account_name": settings.BANK_TRANSFER_ACCOUNT_NAME,
        "bank": settings.BANK_TRANSFER_BANK,
        "account_number": settings.BANK_TRANSFER_ACCOUNT_NUMBER,
        "due_days": settings.BANK_TRANSFER_DUE_DAYS,
    }
