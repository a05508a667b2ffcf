from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views import generic
from django.views.decorators.http import require_POST
from oscar.apps.customer import signals, views
from oscar.apps.customer.views import AccountAuthView as OscarAccountAuthView
from oscar.apps.customer.views import AccountRegistrationView as OscarAccountRegistrationView
from oscar.core.loading import get_model

from common.client_ip import client_ip
from common.exceptions import DomainError
from customer.exceptions import AccountDisabled
from customer.forms import InvoiceRequestForm, MobileCodeForm
from customer.models import SmsCodePurpose
from customer.rules import landing_url_for
from customer.services import (
    customer_activate,
    customer_register,
    customer_register_by_mobile,
    invoice_request_create,
    mobile_bind,
    order_receipt_confirm,
    sms_code_send,
)
from producers.models import InvoiceRequest, Producer
from producers.rules import order_invoiceable

Order = get_model("order", "Order")


class RegisterMixin:
    """Both registration forms (its own page and the one beside the login
    form) answer every valid post alike: the "check your mailbox" page."""

    def register(self, form):
        customer_register(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        return redirect("customer:register-sent")


class AccountRegistrationView(RegisterMixin, OscarAccountRegistrationView):
    def form_valid(self, form):
        return self.register(form)


class AccountAuthView(RegisterMixin, OscarAccountAuthView):
    def validate_registration_form(self):
        form = self.get_registration_form(bind_data=True)
        if form.is_valid():
            return self.register(form)
        return self.render_to_response(self.get_context_data(registration_form=form))

    def get_context_data(self, *args, **kwargs):
        ctx = super().get_context_data(*args, **kwargs)
        next_url = self.request.GET.get(self.redirect_field_name, "")
        ctx["mobile_form"] = MobileCodeForm(initial={"redirect_url": next_url})
        ctx["mobile_next"] = f"?{urlencode({'next': next_url})}" if next_url else ""
        ctx["mobile_submit_label"] = _("登录")
        ctx["resend_seconds"] = settings.SMS_CODE_RESEND_SECONDS
        return ctx

    def get_login_success_url(self, form):
        # The form has already dropped a ?next= that leads off the site.
        return landing_url_for(self.request.user, next_url=form.cleaned_data["redirect_url"] or "")


def registration_sent(request):
    return render(request, "customer/registration_sent.html")


def account_activate(request, uidb64, token):
    if customer_activate(uidb64=uidb64, token=token) is None:
        messages.error(
            request, _("激活链接无效或已过期。重新注册同一邮箱地址即可收到新的激活链接。")
        )
        return redirect("customer:register")
    messages.success(request, _("账户已激活，请用注册时设置的密码登录。"))
    return redirect("customer:login")


class LogoutView(views.LogoutView):
    """Logging out changes state, so only a POST does it (Oscar's view also
    logs out on GET and OPTIONS): a link or an image on another site cannot
    sign a customer out. The navigation posts a form with the CSRF token."""

    http_method_names = ["post"]


class OrderLineView(views.OrderLineView):
    """Oscar's "buy this line again": a POST target only. Oscar answers anything
    else (a GET, an unknown action) with a template it does not ship, and a
    missing line with an uncaught DoesNotExist; both were 500s."""

    def get_object(self, queryset=None):
        order = get_object_or_404(Order, user=self.request.user, number=self.kwargs["order_number"])
        return get_object_or_404(order.lines, id=self.kwargs["line_id"])

    def get(self, request, *args, **kwargs):
        self.get_object()
        return redirect("customer:order", self.kwargs["order_number"])


@login_required
@require_POST
def order_receipt_confirm_view(request, order_number: str):
    """The buyer confirms receipt (确认收货) from the order page; another
    user's order is a 404, a second submission changes nothing."""
    order = get_object_or_404(Order, user=request.user, number=order_number)
    try:
        changed = order_receipt_confirm(order_id=order.pk, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        if changed:
            messages.success(request, _("已确认收货，订单已完成。欢迎评价您收到的商品。"))
        else:
            messages.info(request, _("这个订单已经确认收货。"))
    return redirect("customer:order", order_number=order.number)


@login_required
def order_invoice_request_view(request, order_number: str, producer_pk: int):
    """The buyer asks one producer of their paid order for an invoice (发票)
    for that producer's lines; another user's order, or a producer with no
    lines in it, is a 404."""
    order = get_object_or_404(Order, user=request.user, number=order_number)
    producer = get_object_or_404(
        Producer.objects.filter(partner__order_lines__order=order).distinct(), pk=producer_pk
    )
    order_url = reverse("customer:order", kwargs={"order_number": order.number})
    existing = InvoiceRequest.objects.filter(order=order, producer=producer).first()
    if existing is not None:
        messages.info(request, _("已经向这个生产主体申请过发票。"))
        return redirect(order_url)
    if not order_invoiceable(order):
        messages.error(request, _("订单付款后才能申请发票。"))
        return redirect(order_url)
    form = InvoiceRequestForm(request.POST or None, initial={"email": request.user.email})
    if request.method == "POST" and form.is_valid():
        try:
            invoice_request_create(
                order_id=order.pk,
                producer_id=producer.pk,
                actor=request.user,
                **form.cleaned_data,
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("发票申请已提交，生产主体开具后会通知您。"))
        return redirect(order_url)
    return render(
        request,
        "customer/order/invoice_request.html",
        {"order": order, "producer": producer, "form": form, "active_tab": "orders"},
    )


def masked_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}"


class MobileCodeView(generic.View):
    """A mobile number and an SMS code: "获取验证码" posts the number (a plain
    form post that sends the code and shows the page again with the code
    field; static/marketplace/sms-code.js does the same with fetch and counts
    down), then the code is posted to finish: ``complete`` per purpose."""

    purpose: str
    template_name = "customer/mobile_code.html"
    title = ""
    submit_label = ""

    def get(self, request, *args, **kwargs):
        form = MobileCodeForm(initial={"redirect_url": request.GET.get("next", "")})
        return self.page(form, code_sent=False)

    def post(self, request, *args, **kwargs):
        if "send_code" in request.POST:
            return self.send_code()
        form = MobileCodeForm(request.POST, need_code=True)
        if form.is_valid():
            try:
                return self.complete(form)
            except DomainError as error:
                form.add_error("code", str(error))
        return self.page(form, code_sent=True)

    def send_code(self):
        request = self.request
        form = MobileCodeForm(request.POST)
        notice = ""
        if form.is_valid():
            phone = form.cleaned_data["phone"]
            try:
                sms_code_send(phone=phone, purpose=self.purpose, client_ip=client_ip(request))
            except DomainError as error:
                form.add_error("phone", str(error))
            else:
                # Shown again as it was understood, ready for the code.
                form = MobileCodeForm(
                    initial={"phone": phone, "redirect_url": form.cleaned_data["redirect_url"]}
                )
                notice = _("验证码已发送到 %(phone)s，%(minutes)d 分钟内有效。") % {
                    "phone": masked_phone(phone),
                    "minutes": max(1, settings.SMS_CODE_TTL_SECONDS // 60),
                }
        if "application/json" in request.headers.get("Accept", ""):
            if notice:
                return JsonResponse(
                    {"sent": True, "message": notice, "wait": settings.SMS_CODE_RESEND_SECONDS}
                )
            errors = [str(e) for field in form.errors.values() for e in field]
            return JsonResponse({"sent": False, "message": " ".join(errors)}, status=400)
        return self.page(form, code_sent=bool(notice), notice=notice)

    def page(self, form, *, code_sent: bool, notice: str = ""):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "code_sent": code_sent or bool(form.errors.get("code")),
                "notice": notice,
                "purpose": self.purpose,
                "title": self.title,
                "submit_label": self.submit_label,
                "resend_seconds": settings.SMS_CODE_RESEND_SECONDS,
            },
        )

    def complete(self, form):
        raise NotImplementedError

    def sign_in(self, user, form):
        old_session_key = self.request.session.session_key
        auth_login(self.request, user, backend="customer.auth_backends.MobileCodeBackend")
        signals.user_logged_in.send_robust(
            sender=self, request=self.request, user=user, old_session_key=old_session_key
        )
        next_url = form.cleaned_data.get("redirect_url") or ""
        if not url_has_allowed_host_and_scheme(
            next_url,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ):
            next_url = ""
        return redirect(landing_url_for(user, next_url=next_url))


class AnonymousOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect(settings.LOGIN_REDIRECT_URL)
        return super().dispatch(request, *args, **kwargs)


class MobileLoginView(AnonymousOnlyMixin, MobileCodeView):
    purpose = SmsCodePurpose.LOGIN
    title = _("手机验证码登录")
    submit_label = _("登录")

    def complete(self, form):
        # Through authenticate(), so that django-axes refuses locked-out
        # numbers and addresses and counts every wrong code.
        user = authenticate(
            self.request, phone=form.cleaned_data["phone"], sms_token=form.cleaned_data["code"]
        )
        if user is None:
            # Nothing left on the request: axes refused a locked-out login,
            # and its middleware answers with the lockout page instead.
            raise getattr(self.request, "mobile_login_error", None) or DomainError()
        messages.success(self.request, _("欢迎回来"))
        return self.sign_in(user, form)


class MobileRegisterView(AnonymousOnlyMixin, MobileCodeView):
    purpose = SmsCodePurpose.SIGNUP
    title = _("手机号注册")
    submit_label = _("注册并登录")

    def complete(self, form):
        user, created = customer_register_by_mobile(
            phone=form.cleaned_data["phone"], code=form.cleaned_data["code"]
        )
        if not user.is_active:
            raise AccountDisabled()
        if created:
            messages.success(self.request, _("注册成功，已为您登录。"))
        else:
            messages.info(self.request, _("这个手机号已经注册过，已为您登录。"))
        return self.sign_in(user, form)


class MobileBindView(LoginRequiredMixin, MobileCodeView):
    purpose = SmsCodePurpose.BIND
    title = _("绑定手机号")
    submit_label = _("绑定")

    def complete(self, form):
        mobile = mobile_bind(
            user=self.request.user, phone=form.cleaned_data["phone"], code=form.cleaned_data["code"]
        )
        messages.success(
            self.request,
            _("手机号 %(phone)s 已绑定，以后可以用它登录。")
            % {"phone": masked_phone(mobile.number)},
        )
        return redirect("customer:profile-view")
