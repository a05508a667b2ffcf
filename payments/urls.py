from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("stripe/webhook/", views.StripeWebhookView.as_view(), name="stripe-webhook"),
    path("stripe/pay/<str:number>/", views.StripePayView.as_view(), name="stripe-pay"),
    path("stripe/pay/<str:number>/card/", views.StripeCardView.as_view(), name="stripe-card"),
    path("stripe/pay/<str:number>/return/", views.StripeReturnView.as_view(), name="stripe-return"),
]
