"""Changes to an approved contract (合同变更): the supplier asks, the buyer's
purchaser accepts or declines, the supplier may withdraw. The order's approver
agreed to the contract as it was made; nothing the supplier types changes what
the buyer owes until a purchaser of the buyer unit has agreed to it.

Every step locks the contract row first, then the amendment's (always in that
order), and writes a ``ContractTransition`` with the figures and the reason.
"""

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from procurement.exceptions import (
    ContractAmendmentNotPending,
    ContractAmendmentReasonRequired,
    ContractAmendmentUnchanged,
)
from procurement.lock_objects import procurement_row_lock
from procurement.models import (
    AmendmentKind,
    AmendmentStatus,
    Contract,
    ContractAmendment,
    money,
)
from procurement.rules import freight_check
from procurement.services._common import Role, _members_with_role, _notify
from procurement.workflows import CONTRACT_WORKFLOW, ContractAction


def _summary(amendment: ContractAmendment) -> str:
    return _("%(kind)s ¥%(old)s → ¥%(new)s") % {
        "kind": amendment.get_kind_display(),
        "old": amendment.old_value,
        "new": amendment.proposed_value,
    }


def _value_check(*, contract: Contract, kind: str, value: Decimal) -> None:
    """The rules of the term itself, checked on every proposal and again on acceptance."""
    if kind == AmendmentKind.FREIGHT:
        freight_check(contract=contract, freight=value)


@transaction.atomic
def contract_amendment_propose(
    *,
    contract: Contract,
    actor,
    value: Decimal,
    reason: str,
    kind: str = AmendmentKind.FREIGHT,
) -> ContractAmendment:
    """The supplier asks to change a term; the contract keeps its agreed value."""
    contract = procurement_row_lock(contract)
    CONTRACT_WORKFLOW.check(contract, ContractAction.AMEND, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ContractAmendmentReasonRequired()
    kind = AmendmentKind(kind)
    value = money(value)
    _value_check(contract=contract, kind=kind, value=value)
    amendment = ContractAmendment(
        contract=contract,
        kind=kind,
        proposed_value=value,
        reason=reason,
        proposed_by=actor,
    )
    amendment.old_value = getattr(contract, amendment.field_name)
    if amendment.old_value == value:
        raise ContractAmendmentUnchanged()
    # Logged before it is saved: the step's guard refuses a contract that
    # already has a pending amendment, and this one would be it.
    CONTRACT_WORKFLOW.apply(
        contract,
        ContractAction.AMEND,
        actor,
        reason=_("%(summary)s。理由：%(reason)s")
        % {"summary": _summary(amendment), "reason": reason},
    )
    amendment.save()
    _notify(
        users=_members_with_role(contract.organisation, Role.PURCHASER),
        subject=_("合同 %(number)s 的变更申请待您确认") % {"number": contract.number},
        body=_(
            "%(producer)s 申请变更合同 %(number)s：%(summary)s。理由：%(reason)s\n"
            "请登录消费帮扶商城同意或不同意；在您处理之前，合同按原约定执行。"
        )
        % {
            "producer": contract.producer.name,
            "number": contract.number,
            "summary": _summary(amendment),
            "reason": reason,
        },
        link=reverse("procurement:contract-detail", args=[contract.pk]),
    )
    return amendment


def _close(
    amendment: ContractAmendment, *, contract: Contract, action: str, actor, note: str = ""
) -> None:
    """Record the outcome on the locked amendment and log the step on the contract."""
    amendment.status = {
        ContractAction.AMEND_ACCEPT: AmendmentStatus.ACCEPTED,
        ContractAction.AMEND_DECLINE: AmendmentStatus.DECLINED,
        ContractAction.AMEND_WITHDRAW: AmendmentStatus.WITHDRAWN,
    }[action]
    amendment.decided_by = actor
    amendment.decided_at = timezone.now()
    amendment.decision_note = note
    amendment.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"]
    )
    changed = [amendment.field_name] if action == ContractAction.AMEND_ACCEPT else []
    reason = _summary(amendment)
    if note:
        reason = _("%(summary)s。%(note)s") % {"summary": reason, "note": note}
    CONTRACT_WORKFLOW.apply(contract, action, actor, reason=reason, update_fields=changed)


def _lock_with_contract(amendment: ContractAmendment) -> tuple[Contract, ContractAmendment]:
    contract = procurement_row_lock(amendment.contract)
    return contract, procurement_row_lock(amendment)


@transaction.atomic
def contract_amendment_decide(
    *, amendment: ContractAmendment, actor, accept: bool, note: str = ""
) -> ContractAmendment:
    """The buyer's purchaser accepts (the contract takes the new value) or
    declines (nothing changes); either way the supplier is told."""
    contract, amendment = _lock_with_contract(amendment)
    action = ContractAction.AMEND_ACCEPT if accept else ContractAction.AMEND_DECLINE
    CONTRACT_WORKFLOW.check(contract, action, actor)
    if amendment.status != AmendmentStatus.PENDING:
        raise ContractAmendmentNotPending()
    note = (note or "").strip()
    if accept:
        # The limits may have been lowered since the proposal; they hold at
        # the moment the value takes effect.
        _value_check(contract=contract, kind=amendment.kind, value=amendment.proposed_value)
        setattr(contract, amendment.field_name, amendment.proposed_value)
    _close(amendment, contract=contract, action=action, actor=actor, note=note)
    _notify(
        users=contract.producer.partner.users.all(),
        subject=_("合同 %(number)s 变更申请：%(status)s")
        % {"number": contract.number, "status": amendment.get_status_display()},
        body=_("%(unit)s %(status)s：%(summary)s。%(note)s")
        % {
            "unit": contract.organisation.name,
            "status": amendment.get_status_display(),
            "summary": _summary(amendment),
            "note": note,
        },
        link=reverse("procurement:contract-detail", args=[contract.pk]),
    )
    return amendment


def _amendment_withdraw(
    amendment: ContractAmendment, *, contract: Contract, actor, note: str = ""
) -> ContractAmendment:
    """Withdraw a pending amendment of ``contract``, which the caller has locked
    and checked the step on (declining the whole contract withdraws it too)."""
    amendment = procurement_row_lock(amendment)
    if amendment.status != AmendmentStatus.PENDING:
        raise ContractAmendmentNotPending()
    _close(
        amendment, contract=contract, action=ContractAction.AMEND_WITHDRAW, actor=actor, note=note
    )
    _notify(
        users=_members_with_role(contract.organisation, Role.PURCHASER),
        subject=_("合同 %(number)s 的变更申请已撤回") % {"number": contract.number},
        body=_("%(producer)s 撤回了变更申请：%(summary)s。合同按原约定执行。")
        % {"producer": contract.producer.name, "summary": _summary(amendment)},
        link=reverse("procurement:contract-detail", args=[contract.pk]),
    )
    return amendment


@transaction.atomic
def contract_amendment_withdraw(*, amendment: ContractAmendment, actor) -> ContractAmendment:
    """The supplier takes its question back; nothing changes on the contract."""
    contract = procurement_row_lock(amendment.contract)
    CONTRACT_WORKFLOW.check(contract, ContractAction.AMEND_WITHDRAW, actor)
    return _amendment_withdraw(amendment, contract=contract, actor=actor)
