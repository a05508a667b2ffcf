from oscar.apps.checkout import views as oscar_views
from oscar.core.loading import get_model

from payments.methods import BANK_TRANSFER_CODE, bank_transfer_details
from payments.services import bank_transfer_source_type

Source = get_model("payment", "Source")


class PaymentDetailsView(oscar_views.PaymentDetailsView):
    """Consumers pay by bank transfer: the order is placed unpaid and stays
    "awaiting payment" until staff see the money arrive and mark it paid."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["bank_transfer"] = bank_transfer_details()
        ctx["payment_method_code"] = BANK_TRANSFER_CODE
        return ctx

    def get_message_context(self, order):
        ctx = super().get_message_context(order)
        ctx["bank_transfer"] = bank_transfer_details()
        return ctx

    def handle_payment(self, order_number, total, **kwargs):
        self.add_payment_source(
            Source(
                source_type=bank_transfer_source_type(),
                currency=total.currency,
                amount_allocated=total.incl_tax,
                reference=order_number,
            )
        )


class ThankYouView(oscar_views.ThankYouView):
    def get_context_data(self, *args, **kwargs):
        ctx = super().get_context_data(*args, **kwargs)
        ctx["bank_transfer"] = bank_transfer_details()
        return ctx
