from django.urls import path

from aftersales import views

app_name = "aftersales"

urlpatterns = [
    path("orders/<str:number>/cancel/", views.order_cancel, name="order-cancel"),
    path("orders/<str:number>/lines/<int:line_pk>/request/", views.case_request, name="request"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/act/", views.case_buyer_act, name="case-act"),
    path("cases/<int:pk>/photos/<int:photo_pk>/", views.case_photo, name="case-photo"),
    path(
        "workspace/<int:producer_pk>/",
        views.workspace_cases,
        name="workspace-cases",
    ),
    path(
        "workspace/<int:producer_pk>/cases/<int:pk>/",
        views.workspace_case,
        name="workspace-case",
    ),
    path("staff/", views.staff_cases, name="staff-cases"),
    path("staff/orders/<str:number>/cancel/", views.staff_order_cancel, name="staff-order-cancel"),
    path("staff/cases/<int:pk>/", views.staff_case, name="staff-case"),
]
