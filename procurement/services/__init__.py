"""Procurement writes, one module per part of the workflow. Everything public is
re-exported here, so ``from procurement.services import X`` and ``services.X`` keep
working; the views call ``services.X`` so a patch on this package reaches them."""

from procurement.services.amendments import (
    contract_amendment_decide,
    contract_amendment_propose,
    contract_amendment_withdraw,
)
from procurement.services.cancellations import (
    contract_cancel_decide,
    contract_cancel_propose,
    contract_cancel_withdraw,
)
from procurement.services.contracts import (
    LineAcceptance,
    contract_accept,
    contract_confirm,
    contract_decline,
    contract_ship,
)
from procurement.services.off_platform import (
    helped_sale_record,
    off_platform_purchase_record,
    off_platform_purchase_verify,
)
from procurement.services.orders import (
    purchase_order_create,
    purchase_order_decide,
    purchase_order_line_set,
    purchase_order_submit,
)
from procurement.services.organisations import (
    buyer_organisation_apply,
    buyer_organisation_create,
    buyer_organisation_review,
    buyer_organisation_withdraw,
    membership_invite,
    uscc_contest_file,
    uscc_contest_resolve,
)
from procurement.services.pairings import pairing_end, pairing_save
from procurement.services.plans import annual_plan_file, reserve_ratio_rule_save
from procurement.services.price_breaks import price_break_remove, price_break_set
from procurement.services.settlement import (
    contract_payment_days_set,
    contract_refund_settle,
    invoice_record,
    payment_record,
)

__all__ = [
    "pairing_end",
    "pairing_save",
    "LineAcceptance",
    "annual_plan_file",
    "buyer_organisation_apply",
    "buyer_organisation_create",
    "buyer_organisation_review",
    "buyer_organisation_withdraw",
    "contract_accept",
    "contract_amendment_decide",
    "contract_amendment_propose",
    "contract_amendment_withdraw",
    "contract_cancel_decide",
    "contract_cancel_propose",
    "contract_cancel_withdraw",
    "contract_confirm",
    "contract_decline",
    "contract_payment_days_set",
    "contract_refund_settle",
    "contract_ship",
    "helped_sale_record",
    "invoice_record",
    "membership_invite",
    "uscc_contest_file",
    "uscc_contest_resolve",
    "off_platform_purchase_record",
    "off_platform_purchase_verify",
    "payment_record",
    "price_break_remove",
    "price_break_set",
    "purchase_order_create",
    "purchase_order_decide",
    "purchase_order_line_set",
    "purchase_order_submit",
    "reserve_ratio_rule_save",
]
