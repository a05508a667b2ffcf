"""Writes of the producers app. Onboarding (producers, applications,
benefit linkage) and the producer's workspace (certificates, shipping, expiry
report) live in their own modules; callers import from here."""

from producers.services.categories import (
    category_proposal_accept,
    category_proposal_may_decide,
    category_proposal_reject,
    category_proposal_suggestions,
    category_propose,
)
from producers.services.invoices import invoice_issue
from producers.services.onboarding import (
    ApplicationDetails,
    LinkageFigures,
    benefit_linkage_record,
    benefit_linkage_return,
    benefit_linkage_verify,
    producer_application_approve,
    producer_application_recommend,
    producer_application_reject,
    producer_application_resubmit,
    producer_application_return,
    producer_application_submit,
    producer_create,
)
from producers.services.photos import (
    PHOTO_MOVES,
    listing_photo_add,
    listing_photo_move,
    listing_photo_remove,
)
from producers.services.reviewers import county_reviewer_appoint, county_reviewer_remove
from producers.services.workspace import (
    CertificateDetails,
    ExpiryReport,
    certificate_save,
    certificates_expiry_report,
    order_ship_producer_lines,
)

__all__ = [
    "PHOTO_MOVES",
    "listing_photo_add",
    "listing_photo_move",
    "listing_photo_remove",
    "category_proposal_accept",
    "category_proposal_may_decide",
    "category_proposal_reject",
    "category_proposal_suggestions",
    "category_propose",
    "county_reviewer_appoint",
    "county_reviewer_remove",
    "ApplicationDetails",
    "CertificateDetails",
    "ExpiryReport",
    "LinkageFigures",
    "benefit_linkage_record",
    "benefit_linkage_return",
    "benefit_linkage_verify",
    "certificate_save",
    "certificates_expiry_report",
    "invoice_issue",
    "order_ship_producer_lines",
    "producer_application_approve",
    "producer_application_recommend",
    "producer_application_reject",
    "producer_application_resubmit",
    "producer_application_return",
    "producer_application_submit",
    "producer_create",
]
