from django.urls import path

from procurement import views

app_name = "procurement"

urlpatterns = [
    path("", views.home, name="home"),
    path("apply/", views.organisation_apply, name="apply"),
    path("apply/contest/", views.uscc_contest, name="uscc-contest"),
    path("units/<int:unit_pk>/withdraw/", views.organisation_withdraw, name="withdraw"),
    path("units/<int:unit_pk>/", views.dashboard, name="dashboard"),
    path("units/<int:unit_pk>/plans/<int:year>/", views.plan_file, name="plan"),
    path(
        "units/<int:unit_pk>/report/<int:year>.<str:fmt>",
        views.unit_report_download,
        name="unit-report",
    ),
    path(
        "units/<int:unit_pk>/contracts.<str:fmt>",
        views.unit_contracts_download,
        name="contracts-download",
    ),
    path("units/<int:unit_pk>/members/", views.members, name="members"),
    path("units/<int:unit_pk>/orders/", views.order_list, name="orders"),
    path("units/<int:unit_pk>/contracts/", views.contract_list, name="contracts"),
    path("units/<int:unit_pk>/off-platform/", views.off_platform_list, name="off-platform"),
    path("units/<int:unit_pk>/helped-sales/", views.helped_sales, name="helped-sales"),
    path(
        "helped-sales/<int:pk>/evidence/", views.helped_sale_evidence, name="helped-sale-evidence"
    ),
    path("orders/<int:pk>/", views.order_detail, name="order-detail"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/print/", views.contract_print, name="contract-print"),
    path("contracts/<int:pk>/accept/", views.contract_accept, name="contract-accept"),
    path(
        "contracts/<int:pk>/invoices/<int:invoice_pk>/scan/",
        views.invoice_scan,
        name="invoice-scan",
    ),
    path("off-platform/<int:pk>/correct/", views.off_platform_correct, name="off-platform-correct"),
    path(
        "off-platform/<int:pk>/evidence/", views.off_platform_evidence, name="off-platform-evidence"
    ),
    path("supplier/contracts/", views.supplier_contracts, name="supplier-contracts"),
    path("supplier/price-breaks/", views.price_breaks, name="price-breaks"),
    path(
        "supplier/<int:producer_pk>/statement/",
        views.supplier_statement,
        name="supplier-statement",
    ),
    path(
        "supplier/<int:producer_pk>/statement.xlsx",
        views.supplier_statement_xlsx,
        name="supplier-statement-xlsx",
    ),
    path(
        "supplier/<int:producer_pk>/sales/<int:year>.<str:fmt>",
        views.producer_sales_download,
        name="supplier-sales",
    ),
    path("review/units/", views.review_units, name="review-units"),
    path("review/contested-codes/", views.review_uscc_contests, name="review-contests"),
    path("review/progress/", views.review_progress, name="review-progress"),
    path("review/off-platform/", views.review_off_platform, name="review-off-platform"),
    path("review/off-platform/<int:pk>/evidence/", views.review_evidence, name="review-evidence"),
    path("review/ratio-rules/", views.ratio_rules, name="ratio-rules"),
    path("review/ratio-rules/<int:pk>/", views.ratio_rule_edit, name="ratio-rule-edit"),
    path("review/pairings/", views.pairings, name="pairings"),
    path("review/pairings/new/", views.pairing_new, name="pairing-new"),
    path("review/pairings/import/", views.pairing_import, name="pairing-import"),
    path("review/pairings/<int:pk>/", views.pairing_detail, name="pairing-detail"),
    path("review/pairings/<int:pk>/edit/", views.pairing_edit, name="pairing-edit"),
    path("review/pairings/<int:pk>/end/", views.pairing_end, name="pairing-end"),
]
