"""Procurement pages. Every object is looked up through a selector that already
limits it to what the user may see, so another unit's or producer's id is a 404;
what a visible object's viewer may do is decided by the services (403 otherwise).

One module per part of the workflow; the views ``procurement/urls.py`` routes to
are re-exported here."""

from procurement.views.contracts import (
    contract_accept,
    contract_detail,
    contract_list,
    contract_print,
    invoice_scan,
    supplier_contracts,
)
from procurement.views.exports import (
    producer_sales_download,
    unit_contracts_download,
    unit_report_download,
)
from procurement.views.off_platform import (
    helped_sale_evidence,
    helped_sales,
    off_platform_correct,
    off_platform_evidence,
    off_platform_list,
)
from procurement.views.orders import order_detail, order_list
from procurement.views.pairings import (
    pairing_detail,
    pairing_edit,
    pairing_end,
    pairing_import,
    pairing_new,
    pairings,
)
from procurement.views.plans import plan_file
from procurement.views.price_breaks import price_breaks
from procurement.views.ratio_rules import ratio_rule_edit, ratio_rules
from procurement.views.staff import (
    review_evidence,
    review_off_platform,
    review_progress,
    review_units,
    review_uscc_contests,
)
from procurement.views.statements import supplier_statement, supplier_statement_xlsx
from procurement.views.units import (
    dashboard,
    home,
    members,
    organisation_apply,
    organisation_withdraw,
    uscc_contest,
)

__all__ = [
    "producer_sales_download",
    "unit_contracts_download",
    "unit_report_download",
    "ratio_rule_edit",
    "ratio_rules",
    "contract_accept",
    "contract_detail",
    "contract_list",
    "contract_print",
    "dashboard",
    "helped_sale_evidence",
    "helped_sales",
    "home",
    "invoice_scan",
    "members",
    "off_platform_correct",
    "off_platform_evidence",
    "off_platform_list",
    "order_detail",
    "order_list",
    "organisation_apply",
    "organisation_withdraw",
    "pairing_detail",
    "pairing_edit",
    "pairing_end",
    "pairing_import",
    "pairing_new",
    "pairings",
    "plan_file",
    "price_breaks",
    "review_evidence",
    "review_off_platform",
    "review_progress",
    "review_units",
    "review_uscc_contests",
    "supplier_contracts",
    "supplier_statement",
    "supplier_statement_xlsx",
    "uscc_contest",
]
