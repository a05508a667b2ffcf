"""The after-sales case workflow (售后): one table of steps per role.

The buyer requests; the line's producer accepts or rejects with a reason
within AFTERSALES_RESPONSE_HOURS, and silence escalates to staff (the system
takes that step). A rejected buyer may dispute, which escalates too; staff
approve or decline. An accepted return waits for the buyer's waybill and the
producer's receipt of the goods; the refund ends the case."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from aftersales import exceptions
from aftersales.models import AfterSalesCase, CaseKind, CaseLog, CaseStatus
from common.roles import is_platform_staff
from common.workflow import (
    START,
    IllegalTransition,
    ReasonRequired,
    TransitionNotPermitted,
    Workflow,
    step,
)
from partner.selectors import partner_is_managed_by

BUYER, PRODUCER, STAFF, SYSTEM = "buyer", "producer", "staff", "system"


class Action(models.TextChoices):
    CANCEL = "cancel", _("取消订单")
    REQUEST = "request", _("申请售后")
    ACCEPT = "accept", _("同意")
    REJECT = "reject", _("拒绝")
    ESCALATE = "escalate", _("超时转平台处理")
    DISPUTE = "dispute", _("申请平台介入")
    WITHDRAW = "withdraw", _("撤销申请")
    APPROVE = "approve", _("平台判定同意")
    DECLINE = "decline", _("平台判定驳回")
    SHIP_BACK = "ship_back", _("寄回商品")
    RECEIVE = "receive", _("确认收到退货")
    REFUND = "refund", _("退款")


def case_roles(case: AfterSalesCase, user) -> set[str]:
    if user is None:
        return {SYSTEM}
    roles = set()
    if case.order.user_id is not None and case.order.user_id == user.pk:
        roles.add(BUYER)
    if case.producer_id is not None and partner_is_managed_by(
        partner_id=case.producer.partner_id, user=user
    ):
        roles.add(PRODUCER)
    if is_platform_staff(user):
        roles.add(STAFF)
    return roles


def _returns_only(case, user):
    return None if case.kind == CaseKind.RETURN_REFUND else exceptions.CaseIllegalStep()


def _refunds_now(case, user):
    """Refund-only and cancellations are refunded once accepted; a return
    only once its goods are back."""
    return None if case.kind != CaseKind.RETURN_REFUND else exceptions.CaseIllegalStep()


S = CaseStatus

CASE_WORKFLOW = Workflow(
    model=AfterSalesCase,
    log_model=CaseLog,
    log_subject="case",
    actions=Action,
    roles=case_roles,
    errors={
        IllegalTransition: exceptions.CaseIllegalStep,
        TransitionNotPermitted: exceptions.CaseNotPermitted,
        ReasonRequired: exceptions.CaseReasonRequired,
    },
    messages={
        IllegalTransition: _("售后单当前状态为“%(status)s”，不能“%(action)s”。"),
    },
    transitions=[
        step(START, Action.CANCEL, S.ACCEPTED, roles={BUYER, STAFF}),
        step(START, Action.REQUEST, S.REQUESTED, roles={BUYER}),
        step(S.REQUESTED, Action.ACCEPT, S.ACCEPTED, roles={PRODUCER}),
        step(S.REQUESTED, Action.REJECT, S.REJECTED, roles={PRODUCER}, reason_required=True),
        step(S.REQUESTED, Action.ESCALATE, S.ESCALATED, roles={SYSTEM}),
        step(S.REQUESTED, Action.WITHDRAW, S.CLOSED, roles={BUYER}),
        step(S.REJECTED, Action.DISPUTE, S.ESCALATED, roles={BUYER}, reason_required=True),
        step(S.REJECTED, Action.WITHDRAW, S.CLOSED, roles={BUYER}),
        step(S.ESCALATED, Action.APPROVE, S.ACCEPTED, roles={STAFF}),
        step(S.ESCALATED, Action.DECLINE, S.CLOSED, roles={STAFF}, reason_required=True),
        step(S.ACCEPTED, Action.SHIP_BACK, S.RETURNING, roles={BUYER}, guard=_returns_only),
        step(S.RETURNING, Action.RECEIVE, S.RECEIVED, roles={PRODUCER, STAFF}),
        step(
            S.ACCEPTED,
            Action.REFUND,
            S.REFUNDED,
            roles={BUYER, PRODUCER, STAFF},
            guard=_refunds_now,
        ),
        step(S.RECEIVED, Action.REFUND, S.REFUNDED, roles={PRODUCER, STAFF}),
    ],
)
