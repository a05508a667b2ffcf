"""The listing review workflow (商品审核): the producer submits a listing (again
after any change to what it claims), platform staff approve or reject it."""

from django.utils.translation import gettext as _

from catalogue import exceptions
from catalogue.models import Product, ProductReviewDecision, ReviewStatus
from common.workflow import (
    START,
    IllegalTransition,
    ReasonRequired,
    TransitionNotPermitted,
    Workflow,
    step,
)
from partner.selectors import partner_is_managed_by

Action = ProductReviewDecision.Action
PRODUCER, STAFF = "producer", "staff"


def listing_roles(product: Product, user) -> set[str]:
    roles = set()
    producer = product.get_producer()
    if producer is not None and partner_is_managed_by(partner_id=producer.partner_id, user=user):
        roles.add(PRODUCER)
    if user.is_staff:
        roles.add(STAFF)
    return roles


def _origin_licensed(product: Product, user):
    producer, county = product.producer, product.origin_county
    if producer.may_label_origin(county):
        return None
    return exceptions.OriginNotLicensed(
        _("产地“%(county)s”不是本主体所在县，也不在许可的产地县之内。") % {"county": county.name}
    )


LISTING_WORKFLOW = Workflow(
    model=Product,
    field="review_status",
    log_model=ProductReviewDecision,
    log_subject="product",
    actions=Action,
    roles=listing_roles,
    errors={
        IllegalTransition: exceptions.IllegalReviewTransition,
        TransitionNotPermitted: exceptions.ListingPermissionDenied,
        ReasonRequired: exceptions.ReviewReasonRequired,
    },
    transitions=[
        step(
            START,
            Action.SUBMIT,
            ReviewStatus.PENDING,
            roles={PRODUCER},
            denied=exceptions.ListingPermissionDenied,
        ),
        # A change to what a reviewed listing claims sends it back to review.
        *(
            step(
                source,
                Action.SUBMIT,
                ReviewStatus.PENDING,
                roles={PRODUCER},
                denied=exceptions.ListingPermissionDenied,
            )
            for source in (ReviewStatus.APPROVED, ReviewStatus.REJECTED)
        ),
        step(
            ReviewStatus.PENDING,
            Action.APPROVE,
            ReviewStatus.APPROVED,
            roles={STAFF},
            guard=_origin_licensed,
            denied=exceptions.ReviewStaffOnly,
        ),
        step(
            ReviewStatus.PENDING,
            Action.REJECT,
            ReviewStatus.REJECTED,
            roles={STAFF},
            reason_required=True,
            denied=exceptions.ReviewStaffOnly,
        ),
    ],
)
