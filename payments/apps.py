from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("支付")

    def ready(self):
        from oscar.apps.order.signals import order_status_changed

        from payments import receivers

        order_status_changed.connect(
            receivers.record_bank_transfer_when_marked_paid,
            dispatch_uid="payments.record_bank_transfer_when_marked_paid",
        )
