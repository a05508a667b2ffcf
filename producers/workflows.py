"""The producer application workflow (入驻申请): the applicant files and corrects,
the county recommends or sends back, platform staff approve or send back. And
the benefit-linkage review (联农带农核实): the producer files a year's figures,
platform staff verify them or send them back with a reason."""

from django.utils.translation import gettext_lazy as _

from common.roles import is_platform_staff
from common.workflow import (
    START,
    IllegalTransition,
    ReasonRequired,
    TransitionNotPermitted,
    Workflow,
    step,
)
from producers import exceptions
from producers.models import (
    ApplicationDecision,
    ApplicationStatus,
    BenefitLinkage,
    BenefitLinkageDecision,
    CountyReviewer,
    LinkageStatus,
    ProducerApplication,
)
from producers.selectors import producer_is_managed_by

Action = ApplicationDecision.Action
APPLICANT, COUNTY_REVIEWER, STAFF = "applicant", "county_reviewer", "staff"


def application_roles(application: ProducerApplication, user) -> set[str]:
    roles = set()
    if user.pk == application.applicant_id:
        roles.add(APPLICANT)
    if CountyReviewer.objects.filter(user=user, county_id=application.county_id).exists():
        roles.add(COUNTY_REVIEWER)
    if user.is_staff:
        roles.add(STAFF)
    return roles


S = ApplicationStatus

APPLICATION_WORKFLOW = Workflow(
    model=ProducerApplication,
    log_model=ApplicationDecision,
    log_subject="application",
    actions=Action,
    roles=application_roles,
    errors={
        IllegalTransition: exceptions.IllegalApplicationTransition,
        TransitionNotPermitted: exceptions.ApplicationPermissionDenied,
        ReasonRequired: exceptions.ReasonRequired,
    },
    messages={
        IllegalTransition: _("该申请当前状态为“%(status)s”，不能执行此操作。"),
    },
    transitions=[
        step(START, Action.SUBMIT, S.SUBMITTED, roles={APPLICANT}),
        *(
            step(
                source,
                Action.RESUBMIT,
                S.SUBMITTED,
                roles={APPLICANT},
                denied=exceptions.ApplicationApplicantOnly,
            )
            for source in (S.RETURNED, S.REJECTED)
        ),
        step(
            S.SUBMITTED,
            Action.RECOMMEND,
            S.COUNTY_RECOMMENDED,
            roles={COUNTY_REVIEWER},
            denied=exceptions.ApplicationCountyReviewerOnly,
        ),
        # The county decides first; once it has recommended, only the platform may.
        *(
            step(
                S.SUBMITTED,
                action,
                target,
                roles={COUNTY_REVIEWER},
                reason_required=True,
                denied=exceptions.ApplicationCountyReviewerOnly,
            )
            for action, target in ((Action.RETURN, S.RETURNED), (Action.REJECT, S.REJECTED))
        ),
        *(
            step(
                S.COUNTY_RECOMMENDED,
                action,
                target,
                roles={STAFF},
                reason_required=True,
                denied=exceptions.ApplicationStaffOnly,
            )
            for action, target in ((Action.RETURN, S.RETURNED), (Action.REJECT, S.REJECTED))
        ),
        step(
            S.COUNTY_RECOMMENDED,
            Action.APPROVE,
            S.APPROVED,
            roles={STAFF},
            denied=exceptions.ApplicationStaffOnly,
        ),
    ],
)


# --- Benefit linkage (联农带农) -------------------------------------------------

PRODUCER = "producer"
LinkageAction = BenefitLinkageDecision.Action
L = LinkageStatus


def linkage_roles(linkage: BenefitLinkage, user) -> set[str]:
    roles = set()
    if producer_is_managed_by(producer=linkage.producer, user=user):
        roles.add(PRODUCER)
    if is_platform_staff(user):
        roles.add(STAFF)
    return roles


LINKAGE_WORKFLOW = Workflow(
    model=BenefitLinkage,
    log_model=BenefitLinkageDecision,
    log_subject="linkage",
    actions=LinkageAction,
    roles=linkage_roles,
    errors={
        IllegalTransition: exceptions.LinkageTransitionNotAllowed,
        TransitionNotPermitted: exceptions.LinkagePermissionDenied,
        ReasonRequired: exceptions.LinkageReasonRequired,
    },
    messages={
        IllegalTransition: _("该年度数据当前状态为“%(status)s”，不能执行此操作。"),
    },
    transitions=[
        step(START, LinkageAction.SUBMIT, L.SUBMITTED, roles={PRODUCER}),
        # Any change by the producer puts the figures back in the staff queue:
        # what staff checked is no longer what is shown.
        *(
            step(source, LinkageAction.RESUBMIT, L.SUBMITTED, roles={PRODUCER})
            for source in (L.SUBMITTED, L.VERIFIED, L.RETURNED)
        ),
        step(
            L.SUBMITTED,
            LinkageAction.VERIFY,
            L.VERIFIED,
            roles={STAFF},
            denied=exceptions.LinkageStaffOnly,
        ),
        step(
            L.SUBMITTED,
            LinkageAction.RETURN,
            L.RETURNED,
            roles={STAFF},
            reason_required=True,
            denied=exceptions.LinkageStaffOnly,
        ),
    ],
)
