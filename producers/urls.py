from django.urls import path

from producers import self_service, views

app_name = "producers"

urlpatterns = [
    path("<int:pk>/", views.producer_detail, name="producer-detail"),
    path("mine/", views.my_producers, name="my-producers"),
    path("mine/<int:pk>/linkage/", views.benefit_linkage_edit, name="benefit-linkage-edit"),
    path("apply/", views.application_create, name="apply"),
    path("applications/", views.my_applications, name="my-applications"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application-edit"),
    path(
        "applications/<int:pk>/documents/<str:document>/",
        views.application_document,
        name="application-document",
    ),
    path("review/county/", views.county_queue, name="county-queue"),
    path("review/county/<int:pk>/", views.county_review, name="county-review"),
    path("review/platform/", views.platform_queue, name="platform-queue"),
    path("review/platform/<int:pk>/", views.platform_review, name="platform-review"),
]

urlpatterns += [
    path("review/products/", views.product_review_queue, name="product-review-queue"),
    path("review/products/<int:product_pk>/", views.product_review, name="product-review"),
    path(
        "review/certificates/<int:certificate_pk>/scan/",
        views.certificate_scan,
        name="certificate-scan",
    ),
    path("seller/<int:pk>/", self_service.seller_home, name="seller-home"),
    path("seller/<int:pk>/products/", self_service.seller_products, name="seller-products"),
    path(
        "seller/<int:pk>/products/new/",
        self_service.seller_product_create,
        name="seller-product-create",
    ),
    path(
        "seller/<int:pk>/products/<int:product_pk>/",
        self_service.seller_product_edit,
        name="seller-product-edit",
    ),
    path(
        "seller/<int:pk>/certificates/",
        self_service.seller_certificates,
        name="seller-certificates",
    ),
    path(
        "seller/<int:pk>/certificates/new/",
        self_service.seller_certificate_create,
        name="seller-certificate-create",
    ),
    path(
        "seller/<int:pk>/certificates/<int:certificate_pk>/",
        self_service.seller_certificate_edit,
        name="seller-certificate-edit",
    ),
    path(
        "seller/<int:pk>/certificates/<int:certificate_pk>/scan/",
        self_service.seller_certificate_scan,
        name="seller-certificate-scan",
    ),
    path(
        "seller/<int:pk>/catalogue/export.<str:fmt>",
        self_service.seller_catalogue_export,
        name="seller-catalogue-export",
    ),
    path(
        "seller/<int:pk>/catalogue/import/",
        self_service.seller_catalogue_import,
        name="seller-catalogue-import",
    ),
    path(
        "seller/<int:pk>/catalogue/import/report.xlsx",
        self_service.seller_catalogue_import_report,
        name="seller-catalogue-import-report",
    ),
    path("seller/<int:pk>/orders/", self_service.seller_orders, name="seller-orders"),
    path(
        "seller/<int:pk>/orders/<int:order_pk>/",
        self_service.seller_order_detail,
        name="seller-order-detail",
    ),
    path(
        "seller/<int:pk>/orders/<int:order_pk>/ship/",
        self_service.seller_order_ship,
        name="seller-order-ship",
    ),
]
