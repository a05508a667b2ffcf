from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer import views
from oscar.apps.customer.views import AccountAuthView as OscarAccountAuthView
from oscar.apps.customer.views import AccountRegistrationView as OscarAccountRegistrationView
from oscar.core.loading import get_model

from customer.rules import landing_url_for
from customer.services import customer_activate, customer_register

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
