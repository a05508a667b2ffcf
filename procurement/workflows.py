"""The purchase-order and contract workflows: who may take which step from which
status. Services apply them; pages show the actions ``available_transitions`` gives."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.workflow import (
    START,
    IllegalTransition,
    ReasonRequired,
    TransitionNotPermitted,
    Workflow,
    step,
)
from procurement import exceptions
from procurement.models import (
    BuyerOrganisation,
    Contract,
    ContractParty,
    ContractStatus,
    ContractTransition,
    Membership,
    OrderTransition,
    PurchaseOrder,
)
from procurement.rules import (
    CANCELLABLE_CONTRACT_STATUSES,
    contract_cancel_refusal,
    order_may_be_decided_by,
)
from procurement.selectors import (
    contract_pending_amendment,
    contract_pending_cancellation,
    membership_roles,
)
from producers.selectors import producer_is_managed_by

Role = Membership.Role
OrderStatus = PurchaseOrder.Status
PRODUCER = "producer"

ERRORS = {
    IllegalTransition: exceptions.IllegalTransition,
    TransitionNotPermitted: exceptions.ProcurementPermissionDenied,
}


def _unit_roles(organisation: BuyerOrganisation, user) -> set[str]:
    # A unit not yet approved by the platform does no procurement at all.
    if organisation.status != BuyerOrganisation.Status.ACTIVE:
        return set()
    return membership_roles(user=user, organisation=organisation)


class OrderAction(models.TextChoices):
    CREATE = "create", _("创建采购单")
    SUBMIT = "submit", _("提交审批")
    APPROVE = "approve", _("审批通过")
    REJECT = "reject", _("退回")


def _not_own_order(order: PurchaseOrder, user):
    if not order_may_be_decided_by(order=order, user=user):
        return exceptions.SegregationOfDuties()
    return None


ORDER_WORKFLOW = Workflow(
    model=PurchaseOrder,
    log_model=OrderTransition,
    log_subject="order",
    actions=OrderAction,
    roles=lambda order, user: _unit_roles(order.organisation, user),
    errors={**ERRORS, ReasonRequired: exceptions.OrderRejectReasonRequired},
    illegal={
        OrderAction.SUBMIT: exceptions.OrderNotDraft,
        OrderAction.APPROVE: exceptions.OrderNotSubmitted,
        OrderAction.REJECT: exceptions.OrderNotSubmitted,
    },
    transitions=[
        step(START, OrderAction.CREATE, OrderStatus.DRAFT, roles={Role.PURCHASER}),
        step(OrderStatus.DRAFT, OrderAction.SUBMIT, OrderStatus.SUBMITTED, roles={Role.PURCHASER}),
        step(
            OrderStatus.SUBMITTED,
            OrderAction.APPROVE,
            OrderStatus.APPROVED,
            roles={Role.APPROVER},
            guard=_not_own_order,
        ),
        step(
            OrderStatus.SUBMITTED,
            OrderAction.REJECT,
            OrderStatus.REJECTED,
            roles={Role.APPROVER},
            guard=_not_own_order,
            reason_required=True,
        ),
    ],
)


class ContractAction(models.TextChoices):
    CREATE = "create", _("采购单审批通过，生成合同")
    # Log rows from before freight changes needed the buyer's agreement keep
    # this action; no step takes it any more (AMEND … AMEND_DECLINE do).
    SET_FREIGHT = "set_freight", _("调整运费")
    AMEND = "amend", _("供应商申请变更")
    AMEND_WITHDRAW = "amend_withdraw", _("供应商撤回变更申请")
    AMEND_ACCEPT = "amend_accept", _("采购人同意变更")
    AMEND_DECLINE = "amend_decline", _("采购人未同意变更")
    SET_TERMS = "set_terms", _("约定付款条件")
    CONFIRM = "confirm", _("供应商确认")
    DECLINE = "decline", _("供应商拒绝")
    SHIP = "ship", _("发货")
    ACCEPT = "accept", _("验收")
    SETTLE = "settle", _("结清")
    CANCEL_PROPOSE = "cancel_propose", _("提出协议解除")
    CANCEL_WITHDRAW = "cancel_withdraw", _("撤回解除提议")
    CANCEL_AGREE = "cancel_agree", _("同意协议解除")
    CANCEL_REFUSE = "cancel_refuse", _("不同意协议解除")


def _contract_roles(contract: Contract, user) -> set[str]:
    roles = _unit_roles(contract.organisation, user)
    if producer_is_managed_by(producer=contract.producer, user=user):
        roles.add(PRODUCER)
    return roles


def _no_pending_amendment(contract: Contract, user):
    """Nothing is proposed or confirmed while a change waits for the buyer: the
    supplier would otherwise confirm terms the buyer has not agreed to, or put
    a second question over the first."""
    if contract_pending_amendment(contract=contract) is not None:
        return exceptions.ContractAmendmentPending()
    return None


# Who speaks for each party of a contract in a cancellation by agreement.
PARTY_ROLES = {
    ContractParty.BUYER: frozenset({Role.PURCHASER, Role.ADMIN}),
    ContractParty.SUPPLIER: frozenset({PRODUCER}),
}
CANCEL_ROLES = PARTY_ROLES[ContractParty.BUYER] | PARTY_ROLES[ContractParty.SUPPLIER]


def contract_parties_of(contract: Contract, user) -> set[str]:
    """The parties of ``contract`` the user may speak for (ContractParty values)."""
    held = _contract_roles(contract, user)
    return {party for party, roles in PARTY_ROLES.items() if held & roles}


def _no_pending_cancellation(contract: Contract, user):
    """Nothing ships, and no second proposal is made, while one party's proposal
    to end the contract waits for the other's answer."""
    if contract_pending_cancellation(contract=contract) is not None:
        return exceptions.ContractCancelPending()
    return None


def _may_propose_cancellation(contract: Contract, user):
    return contract_cancel_refusal(contract=contract) or _no_pending_cancellation(contract, user)


def _answers_pending_cancellation(contract: Contract, user):
    """Only the other party answers a proposal: not its proposer, nor anyone
    speaking only for the proposer's side."""
    pending = contract_pending_cancellation(contract=contract)
    if pending is None:
        return exceptions.ContractCancelNotPending()
    if pending.proposed_by_id == user.pk or (
        pending.answering_party not in contract_parties_of(contract, user)
    ):
        return exceptions.ContractCancelOwnProposal()
    return None


def _agrees_to_cancellation(contract: Contract, user):
    # Asked again when the answer comes: a payment may have been recorded since.
    return _answers_pending_cancellation(contract, user) or contract_cancel_refusal(
        contract=contract
    )


def _withdraws_own_cancellation(contract: Contract, user):
    pending = contract_pending_cancellation(contract=contract)
    if pending is None:
        return exceptions.ContractCancelNotPending()
    if pending.proposed_by_party not in contract_parties_of(contract, user):
        return exceptions.ContractCancelNotProposer()
    return None


def _cancellation_steps():
    steps = []
    for status in sorted(CANCELLABLE_CONTRACT_STATUSES):
        steps += [
            step(
                status,
                ContractAction.CANCEL_PROPOSE,
                status,
                roles=CANCEL_ROLES,
                guard=_may_propose_cancellation,
                denied=exceptions.ContractCancelPartyOnly,
            ),
            step(
                status,
                ContractAction.CANCEL_WITHDRAW,
                status,
                roles=CANCEL_ROLES,
                guard=_withdraws_own_cancellation,
                denied=exceptions.ContractCancelPartyOnly,
            ),
            step(
                status,
                ContractAction.CANCEL_AGREE,
                ContractStatus.CANCELLED,
                roles=CANCEL_ROLES,
                guard=_agrees_to_cancellation,
                denied=exceptions.ContractCancelPartyOnly,
            ),
            step(
                status,
                ContractAction.CANCEL_REFUSE,
                status,
                roles=CANCEL_ROLES,
                guard=_answers_pending_cancellation,
                denied=exceptions.ContractCancelPartyOnly,
            ),
        ]
    return steps


CONTRACT_WORKFLOW = Workflow(
    model=Contract,
    log_model=ContractTransition,
    log_subject="contract",
    actions=ContractAction,
    roles=_contract_roles,
    errors={
        **ERRORS,
        IllegalTransition: exceptions.ContractTransitionNotAllowed,
        ReasonRequired: exceptions.ContractDeclineReasonRequired,
    },
    illegal={
        ContractAction.AMEND: exceptions.ContractFreightLocked,
        # Nothing can be pending once a contract has left AWAITING.
        ContractAction.AMEND_WITHDRAW: exceptions.ContractAmendmentNotPending,
        ContractAction.AMEND_ACCEPT: exceptions.ContractAmendmentNotPending,
        ContractAction.AMEND_DECLINE: exceptions.ContractAmendmentNotPending,
        ContractAction.SET_TERMS: exceptions.PaymentTermsLocked,
        # Only CANCELLABLE_CONTRACT_STATUSES have these steps.
        ContractAction.CANCEL_PROPOSE: exceptions.ContractCancelState,
        ContractAction.CANCEL_WITHDRAW: exceptions.ContractCancelState,
        ContractAction.CANCEL_AGREE: exceptions.ContractCancelState,
        ContractAction.CANCEL_REFUSE: exceptions.ContractCancelState,
    },
    transitions=[
        step(START, ContractAction.CREATE, ContractStatus.AWAITING, roles={Role.APPROVER}),
        # The order's approval fixed the contract; from then on the supplier
        # only asks, and the buyer's purchaser decides (ContractAmendment).
        step(
            ContractStatus.AWAITING,
            ContractAction.AMEND,
            ContractStatus.AWAITING,
            roles={PRODUCER},
            guard=_no_pending_amendment,
            denied=exceptions.ContractProducerOnly,
        ),
        step(
            ContractStatus.AWAITING,
            ContractAction.AMEND_WITHDRAW,
            ContractStatus.AWAITING,
            roles={PRODUCER},
            denied=exceptions.ContractProducerOnly,
        ),
        step(
            ContractStatus.AWAITING,
            ContractAction.AMEND_ACCEPT,
            ContractStatus.AWAITING,
            roles={Role.PURCHASER},
            denied=exceptions.ContractAmendmentNotBuyer,
        ),
        step(
            ContractStatus.AWAITING,
            ContractAction.AMEND_DECLINE,
            ContractStatus.AWAITING,
            roles={Role.PURCHASER},
            denied=exceptions.ContractAmendmentNotBuyer,
        ),
        step(
            ContractStatus.AWAITING,
            ContractAction.SET_TERMS,
            ContractStatus.AWAITING,
            roles={Role.FINANCE, Role.ADMIN},
        ),
        step(
            ContractStatus.AWAITING,
            ContractAction.CONFIRM,
            ContractStatus.CONFIRMED,
            roles={PRODUCER},
            guard=_no_pending_amendment,
            denied=exceptions.ContractProducerOnly,
        ),
        step(
            ContractStatus.AWAITING,
            ContractAction.DECLINE,
            ContractStatus.DECLINED,
            roles={PRODUCER},
            reason_required=True,
            denied=exceptions.ContractProducerOnly,
        ),
        step(
            ContractStatus.CONFIRMED,
            ContractAction.SHIP,
            ContractStatus.SHIPPED,
            roles={PRODUCER},
            guard=_no_pending_cancellation,
            denied=exceptions.ContractProducerOnly,
        ),
        step(
            ContractStatus.SHIPPED,
            ContractAction.ACCEPT,
            ContractStatus.ACCEPTED,
            roles={Role.PURCHASER, Role.ADMIN},
        ),
        # Settling follows the acceptance or payment that completes it, by whoever made it.
        step(
            ContractStatus.ACCEPTED,
            ContractAction.SETTLE,
            ContractStatus.SETTLED,
            roles={Role.PURCHASER, Role.ADMIN, Role.FINANCE},
        ),
        *_cancellation_steps(),
    ],
)


def contract_signed_on(*, contract: Contract) -> datetime.date | None:
    """The day the contract took effect: when the supplier confirmed it (read
    from the contract's workflow log)."""
    confirmed = (
        contract.transitions.filter(action=ContractAction.CONFIRM)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return timezone.localdate(confirmed) if confirmed else None
