from django.urls import path

from producers import staff, views
from producers.workspace import categories as workspace_categories
from producers.workspace import invoices as workspace_invoices
from producers.workspace import photos, variants
from producers.workspace import views as workspace

app_name = "producers"

urlpatterns = [
    path("<int:pk>/", views.producer_detail, name="producer-detail"),
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
    path("review/reviewers/", staff.reviewers, name="reviewers"),
    path("review/linkages/", staff.linkage_queue, name="linkage-queue"),
    path("review/linkages/<int:pk>/", staff.linkage_review, name="linkage-review"),
    path("review/platform/<int:pk>/", views.platform_review, name="platform-review"),
    path(
        "review/certificates/<int:certificate_pk>/scan/",
        views.certificate_scan,
        name="certificate-scan",
    ),
]

# The producer's workspace: every URL under workspace/, every name workspace-*.
urlpatterns += [
    path("workspace/", workspace.workspace_index, name="workspace-index"),
    path("workspace/<int:pk>/", workspace.workspace_home, name="workspace-home"),
    path("workspace/<int:pk>/linkage/", workspace.workspace_linkage_edit, name="workspace-linkage"),
    path("workspace/<int:pk>/products/", workspace.workspace_products, name="workspace-products"),
    path(
        "workspace/<int:pk>/products/new/",
        workspace.workspace_product_create,
        name="workspace-product-create",
    ),
    path(
        "workspace/<int:pk>/products/<int:product_pk>/",
        workspace.workspace_product_edit,
        name="workspace-product-edit",
    ),
    path(
        "workspace/<int:pk>/certificates/",
        workspace.workspace_certificates,
        name="workspace-certificates",
    ),
    path(
        "workspace/<int:pk>/certificates/new/",
        workspace.workspace_certificate_create,
        name="workspace-certificate-create",
    ),
    path(
        "workspace/<int:pk>/certificates/<int:certificate_pk>/",
        workspace.workspace_certificate_edit,
        name="workspace-certificate-edit",
    ),
    path(
        "workspace/<int:pk>/certificates/<int:certificate_pk>/scan/",
        workspace.workspace_certificate_scan,
        name="workspace-certificate-scan",
    ),
    path(
        "workspace/<int:pk>/catalogue/export.<str:fmt>",
        workspace.workspace_catalogue_export,
        name="workspace-catalogue-export",
    ),
    path(
        "workspace/<int:pk>/catalogue/import/",
        workspace.workspace_catalogue_import,
        name="workspace-catalogue-import",
    ),
    path(
        "workspace/<int:pk>/catalogue/import/<int:job_pk>/",
        workspace.workspace_catalogue_import_job,
        name="workspace-catalogue-import-job",
    ),
    path(
        "workspace/<int:pk>/catalogue/import/<int:job_pk>/status/",
        workspace.workspace_catalogue_import_status,
        name="workspace-catalogue-import-status",
    ),
    path(
        "workspace/<int:pk>/catalogue/import/<int:job_pk>/report.xlsx",
        workspace.workspace_catalogue_import_report,
        name="workspace-catalogue-import-report",
    ),
    path(
        "workspace/<int:pk>/catalogue/categories.<str:fmt>",
        workspace.workspace_catalogue_categories,
        name="workspace-catalogue-categories",
    ),
    path("workspace/<int:pk>/orders/", workspace.workspace_orders, name="workspace-orders"),
    path(
        "workspace/<int:pk>/invoices/",
        workspace_invoices.workspace_invoices,
        name="workspace-invoices",
    ),
    path(
        "workspace/<int:pk>/invoices/<int:invoice_pk>/",
        workspace_invoices.workspace_invoice,
        name="workspace-invoice",
    ),
    # An issued invoice's PDF, for its buyer, the producer's users and staff.
    path("invoices/<int:invoice_pk>/pdf/", views.invoice_pdf, name="invoice-pdf"),
    path(
        "workspace/<int:pk>/orders/<int:order_pk>/",
        workspace.workspace_order_detail,
        name="workspace-order-detail",
    ),
    path(
        "workspace/<int:pk>/orders/<int:order_pk>/ship/",
        workspace.workspace_order_ship,
        name="workspace-order-ship",
    ),
]

# A listing's photos and a multi-spec listing's variants (规格).
urlpatterns += [
    path(
        "workspace/<int:pk>/products/new-multi-spec/",
        variants.workspace_multi_spec_create,
        name="workspace-multi-spec-create",
    ),
    path(
        "workspace/<int:pk>/products/<int:product_pk>/photos/",
        photos.workspace_product_photos,
        name="workspace-product-photos",
    ),
    path(
        "workspace/<int:pk>/products/<int:product_pk>/photos/<int:image_pk>/move/",
        photos.workspace_product_photo_move,
        name="workspace-product-photo-move",
    ),
    path(
        "workspace/<int:pk>/products/<int:product_pk>/photos/<int:image_pk>/remove/",
        photos.workspace_product_photo_remove,
        name="workspace-product-photo-remove",
    ),
    path(
        "workspace/<int:pk>/products/<int:product_pk>/variants/",
        variants.workspace_product_variants,
        name="workspace-product-variants",
    ),
    path(
        "workspace/<int:pk>/products/<int:product_pk>/variants/<int:variant_pk>/",
        variants.workspace_product_variant_edit,
        name="workspace-product-variant-edit",
    ),
]

# Category proposals (类目申请): the producer's page and staff's.
urlpatterns += [
    path(
        "workspace/<int:pk>/categories/",
        workspace_categories.workspace_categories,
        name="workspace-categories",
    ),
    path(
        "review/categories/",
        workspace_categories.category_proposals_review,
        name="category-proposals-review",
    ),
]
