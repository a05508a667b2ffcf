from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("支付")

    def ready(self):
        from django.core import checks

        from payments.checks import payments_settings_check

        checks.register(payments_settings_check)
