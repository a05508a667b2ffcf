"""The card payment page and Stripe's webhook. The card number goes from the
page to Stripe; our views see only the token Stripe.js makes of it."""

import logging

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from payments.exceptions import (
    StripeAuthenticationFailed,
    StripePaymentError,
    StripeSignatureInvalid,
    StripeWebhookRefused,
)
from payments.methods import STRIPE_WALLET_LABELS
from payments.rules import stripe_card_offered, stripe_payment_methods, stripe_payment_page_csp
from payments.selectors import order_for_payer
from payments.services import (
    stripe_card_pay,
    stripe_event_handle,
    stripe_event_verify,
    stripe_intent_client_secret,
    stripe_open_payment,
    stripe_payment_sync,
)

logger = logging.getLogger(__name__)


def _order_or_404(request, number):
    order = order_for_payer(request=request, number=number)
    if order is None or not stripe_card_offered():
        raise Http404
    return order


def _done_url(request, order) -> str:
    if request.user.is_authenticated:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse("checkout:thank-you")


class StripePayView(View):
    """The card form of an order awaiting card payment."""

    def dispatch(self, request, *args, **kwargs):
        # The policy is read when the response is made: settings may change
        # (tests), so it is applied per request rather than at import.
        return csp_update(stripe_payment_page_csp())(super().dispatch)(request, *args, **kwargs)

    def get(self, request, number):
        order = _order_or_404(request, number)
        wallets = [
            {"code": method, "label": STRIPE_WALLET_LABELS[method]}
            for method in stripe_payment_methods()
            if method != "card"
        ]
        try:
            payment = stripe_open_payment(order=order)
            # Alipay and WeChat Pay are confirmed by Stripe.js with the
            # intent's client secret; the card goes through our server.
            client_secret = stripe_intent_client_secret(payment=payment) if wallets else ""
        except StripePaymentError as error:
            messages.info(request, str(error))
            return redirect(_done_url(request, order))
        return_url = reverse("payments:stripe-return", kwargs={"number": order.number})
        return render(
            request,
            "payments/stripe_pay.html",
            {
                "order": order,
                "stripe_js_url": settings.STRIPE_JS_URL,
                "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
                "card_url": reverse("payments:stripe-card", kwargs={"number": order.number}),
                "return_url": return_url,
                "return_url_absolute": request.build_absolute_uri(return_url),
                "wallets": wallets,
                "client_secret": client_secret,
                "authentication_failed": str(StripeAuthenticationFailed()),
                "timeout_minutes": settings.STRIPE_PAYMENT_TIMEOUT_MINUTES,
            },
        )


class StripeCardView(View):
    """POST token=<Stripe.js token id>: confirm the order's intent with it."""

    def post(self, request, number):
        order = _order_or_404(request, number)
        token = (request.POST.get("token") or "").strip()
        if not token.startswith("tok_") or len(token) > 255:
            return JsonResponse(
                {"status": "error", "message": _("请填写完整的银行卡信息。")}, status=400
            )
        try:
            result = stripe_card_pay(order=order, token_id=token)
        except StripePaymentError as error:
            return JsonResponse({"status": "error", "code": error.code, "message": str(error)})
        return JsonResponse(
            {
                "status": result.status,
                "client_secret": result.client_secret,
                "return_url": reverse("payments:stripe-return", kwargs={"number": order.number}),
            }
        )


class StripeReturnView(View):
    """Where the page goes once Stripe.js says the payment went through."""

    def get(self, request, number):
        order = _order_or_404(request, number)
        try:
            paid = stripe_payment_sync(order=order)
        except StripePaymentError as error:
            messages.warning(request, str(error))
            return redirect("payments:stripe-pay", number=order.number)
        if paid:
            messages.success(request, _("付款成功，订单已付款。"))
            return redirect(_done_url(request, order))
        messages.info(request, _("银行卡付款尚未完成，可以重试或换一张卡。"))
        return redirect("payments:stripe-pay", number=order.number)


@method_decorator(csrf_exempt, name="dispatch")
class StripeWebhookView(View):
    """Stripe's events, verified by signature; each applied once. A refused
    or failed event answers non-2xx so that Stripe delivers it again."""

    http_method_names = ["post"]

    def post(self, request):
        try:
            event = stripe_event_verify(
                payload=request.body, signature=request.headers.get("Stripe-Signature", "")
            )
            stripe_event_handle(event=event)
        except StripeSignatureInvalid as error:
            return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
        except StripeWebhookRefused as error:
            logger.warning("Stripe webhook refused: %s (%s)", error, error.code)
            return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
        return HttpResponse("ok", content_type="text/plain")
