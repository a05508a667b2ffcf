import oscar.apps.customer.apps as apps
from django.urls import path


class CustomerConfig(apps.CustomerConfig):
    name = "customer"

    def get_urls(self):
        from customer import views

        urls = super().get_urls()
        urls += [
            path("register/sent/", views.registration_sent, name="register-sent"),
            path(
                "activate/<str:uidb64>/<str:token>/",
                views.account_activate,
                name="activate",
            ),
            path("phone/login/", views.MobileLoginView.as_view(), name="mobile-login"),
            path("phone/register/", views.MobileRegisterView.as_view(), name="mobile-register"),
            path("phone/bind/", views.MobileBindView.as_view(), name="mobile-bind"),
            path(
                "orders/<str:order_number>/receipt/",
                views.order_receipt_confirm_view,
                name="order-receipt-confirm",
            ),
            path(
                "orders/<str:order_number>/invoice/<int:producer_pk>/",
                views.order_invoice_request_view,
                name="order-invoice-request",
            ),
        ]
        return self.post_process_urls(urls)
