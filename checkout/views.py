from django.urls import reverse
from django.utils.translation import gettext as _
from oscar.apps.checkout import views as oscar_views
from oscar.apps.payment.exceptions import UnableToTakePayment
from oscar.core.loading import get_model

from payments.exceptions import StripePaymentError
from payments.methods import (
    BANK_TRANSFER_CODE,
    BANK_TRANSFER_NAME,
    STRIPE_CARD_CODE,
    STRIPE_CARD_NAME,
    bank_transfer_details,
)
from payments.rules import order_pays_by_bank_transfer, stripe_card_offered
from payments.services import (
    bank_transfer_source_type,
    stripe_card_source_type,
    stripe_payment_intent_create,
    stripe_payment_record,
)

Source = get_model("payment", "Source")


def payment_methods_offered() -> dict:
    """The payment methods the buyer may choose, by code."""
    methods = {BANK_TRANSFER_CODE: BANK_TRANSFER_NAME}
    if stripe_card_offered():
        methods[STRIPE_CARD_CODE] = STRIPE_CARD_NAME
    return methods


class PaymentDetailsView(oscar_views.PaymentDetailsView):
    """Consumers pay by bank transfer — the order is placed unpaid and stays
    "awaiting payment" until staff see the money arrive — or, when Stripe is
    configured, by card: the order is placed awaiting payment with a Stripe
    PaymentIntent, and the buyer pays it on the card page that follows."""

    stripe_intent = None
    placed_number = None

    def _chosen_method(self) -> str:
        chosen = self.checkout_session._get("payment", "method")
        return chosen if chosen in payment_methods_offered() else BANK_TRANSFER_CODE

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["bank_transfer"] = bank_transfer_details()
        ctx["payment_methods"] = payment_methods_offered()
        ctx["payment_method_code"] = self._chosen_method()
        ctx["payment_method_name"] = payment_methods_offered()[self._chosen_method()]
        return ctx

    def handle_payment_details_submission(self, request):
        chosen = request.POST.get("payment_method", "")
        if chosen not in payment_methods_offered():
            return self.render_payment_details(request, error=_("请选择支付方式。"))
        self.checkout_session._set("payment", "method", chosen)
        return self.render_preview(request)

    def build_submission(self, **kwargs):
        submission = super().build_submission(**kwargs)
        submission["payment_kwargs"]["method"] = self._chosen_method()
        return submission

    def get_message_context(self, order):
        ctx = super().get_message_context(order)
        if order_pays_by_bank_transfer(order):
            ctx["bank_transfer"] = bank_transfer_details()
        return ctx

    def handle_payment(self, order_number, total, method=BANK_TRANSFER_CODE, **kwargs):
        if method == STRIPE_CARD_CODE:
            try:
                self.stripe_intent = stripe_payment_intent_create(
                    basket_id=self.request.basket.id,
                    amount=total.incl_tax,
                    currency=total.currency,
                    order_number=order_number,
                )
            except StripePaymentError as error:
                raise UnableToTakePayment(str(error)) from error
            source_type = stripe_card_source_type()
        else:
            source_type = bank_transfer_source_type()
        self.add_payment_source(
            Source(
                source_type=source_type,
                currency=total.currency,
                amount_allocated=total.incl_tax,
                reference=order_number,
            )
        )

    def handle_successful_order(self, order):
        if self.stripe_intent is not None:
            stripe_payment_record(order=order, intent=self.stripe_intent)
        self.placed_number = order.number
        return super().handle_successful_order(order)

    def get_success_url(self):
        if self.stripe_intent is not None:
            return reverse("payments:stripe-pay", kwargs={"number": self.placed_number})
        return super().get_success_url()


class ThankYouView(oscar_views.ThankYouView):
    def get_context_data(self, *args, **kwargs):
        ctx = super().get_context_data(*args, **kwargs)
        if order_pays_by_bank_transfer(ctx["order"]):
            ctx["bank_transfer"] = bank_transfer_details()
        return ctx
