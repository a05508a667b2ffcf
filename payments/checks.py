"""Start-up checks of the payment settings (``manage.py check``, runserver,
migrate): a misspelt payment method would otherwise surface only as Stripe
refusing every PaymentIntent at checkout."""

from django.core import checks

from payments.rules import STRIPE_METHODS_SUPPORTED, stripe_payment_methods_unknown


def payments_settings_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    unknown = stripe_payment_methods_unknown()
    if not unknown:
        return []
    return [
        checks.Error(
            f"STRIPE_PAYMENT_METHODS names {', '.join(unknown)}, which the payment page "
            f"cannot confirm; use {', '.join(STRIPE_METHODS_SUPPORTED)}.",
            id="payments.E001",
        )
    ]
