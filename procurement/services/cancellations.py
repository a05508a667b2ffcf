"""Ending a confirmed contract by agreement (协议解除): either party proposes it
with a reason, the other party agrees or refuses, the proposer may withdraw.
On agreement the contract is cancelled and the stock it allocated is released.

Every step locks the contract row first, then the proposal's, then the stock
records (always in that order), and writes a ``ContractTransition`` with the
reason. Which contracts may be cancelled is ``procurement.rules.contract_cancel_refusal``.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner.services import stockrecords_release
from procurement.exceptions import ContractCancelNotPending, ContractCancelReasonRequired
from procurement.lock_objects import procurement_row_lock
from procurement.models import (
    CancellationStatus,
    Contract,
    ContractCancellation,
    ContractParty,
)
from procurement.services._common import _members_with_role, _notify
from procurement.workflows import (
    CONTRACT_WORKFLOW,
    PARTY_ROLES,
    ContractAction,
    contract_parties_of,
)


def _party_users(contract: Contract, party: str) -> list:
    """Who hears about a step for ``party``: the supplier's users, or the buyer
    unit's members who may answer for it."""
    if party == ContractParty.SUPPLIER:
        return list(contract.producer.partner.users.all())
    return [
        user
        for role in sorted(PARTY_ROLES[ContractParty.BUYER])
        for user in _members_with_role(contract.organisation, role)
    ]


def _party_name(contract: Contract, party: str) -> str:
    if party == ContractParty.SUPPLIER:
        return contract.producer.name
    return contract.organisation.name


def _link(contract: Contract) -> str:
    return reverse("procurement:contract-detail", args=[contract.pk])


@transaction.atomic
def contract_cancel_propose(*, contract: Contract, actor, reason: str) -> ContractCancellation:
    """One party proposes to end the contract; it stays in force until the other agrees."""
    contract = procurement_row_lock(contract)
    CONTRACT_WORKFLOW.check(contract, ContractAction.CANCEL_PROPOSE, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ContractCancelReasonRequired()
    parties = contract_parties_of(contract, actor)
    # Someone who speaks for both sides proposes as the buyer: the supplier's
    # other users are then the ones who answer.
    party = ContractParty.BUYER if ContractParty.BUYER in parties else ContractParty.SUPPLIER
    # Logged before it is saved: the step's guard refuses a contract that
    # already has a pending proposal, and this one would be it.
    CONTRACT_WORKFLOW.apply(contract, ContractAction.CANCEL_PROPOSE, actor, reason=reason)
    cancellation = ContractCancellation.objects.create(
        contract=contract, proposed_by_party=party, proposed_by=actor, reason=reason
    )
    _notify(
        users=_party_users(contract, cancellation.answering_party),
        subject=_("合同 %(number)s：对方提出协议解除，待您答复") % {"number": contract.number},
        body=_(
            "%(party)s 提出协议解除合同 %(number)s。理由：%(reason)s\n"
            "请登录消费帮扶商城同意或不同意；在您答复之前，合同继续有效。"
        )
        % {
            "party": _party_name(contract, party),
            "number": contract.number,
            "reason": reason,
        },
        link=_link(contract),
    )
    return cancellation


def _close(
    cancellation: ContractCancellation, *, contract: Contract, action: str, actor, note: str
) -> None:
    """Log the step on the contract, then record the outcome on the locked
    proposal (in this order: the step's guard looks for the pending proposal)."""
    reason = _("解除理由：%(reason)s") % {"reason": cancellation.reason}
    if note:
        reason = _("%(reason)s。答复：%(note)s") % {"reason": reason, "note": note}
    CONTRACT_WORKFLOW.apply(contract, action, actor, reason=reason)
    cancellation.status = {
        ContractAction.CANCEL_AGREE: CancellationStatus.AGREED,
        ContractAction.CANCEL_REFUSE: CancellationStatus.REFUSED,
        ContractAction.CANCEL_WITHDRAW: CancellationStatus.WITHDRAWN,
    }[action]
    cancellation.decided_by = actor
    cancellation.decided_at = timezone.now()
    cancellation.decision_note = note
    cancellation.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"]
    )


def _locked(cancellation: ContractCancellation) -> tuple[Contract, ContractCancellation]:
    contract = procurement_row_lock(cancellation.contract)
    return contract, procurement_row_lock(cancellation)


@transaction.atomic
def contract_cancel_decide(
    *, cancellation: ContractCancellation, actor, agree: bool, note: str = ""
) -> ContractCancellation:
    """The other party agrees (the contract is cancelled, its allocation
    released) or refuses (nothing changes); the proposer's side is told."""
    contract, cancellation = _locked(cancellation)
    action = ContractAction.CANCEL_AGREE if agree else ContractAction.CANCEL_REFUSE
    CONTRACT_WORKFLOW.check(contract, action, actor)
    if cancellation.status != CancellationStatus.PENDING:
        raise ContractCancelNotPending()
    note = (note or "").strip()
    _close(cancellation, contract=contract, action=action, actor=actor, note=note)
    if agree:
        # The contract row is locked and was confirmed until this step: this is
        # the one release of what its confirmation allocated.
        quantities: dict[int, int] = {}
        for stockrecord_id, quantity in contract.lines.values_list("stockrecord_id", "quantity"):
            quantities[stockrecord_id] = quantities.get(stockrecord_id, 0) + quantity
        stockrecords_release(quantities=quantities)
    answer = _("同意") if agree else _("不同意")
    _notify(
        users=_party_users(contract, cancellation.proposed_by_party),
        subject=_("合同 %(number)s 协议解除：对方%(answer)s")
        % {"number": contract.number, "answer": answer},
        body=(
            _("%(party)s 同意协议解除合同 %(number)s，合同已解除，锁定的库存已释放。%(note)s")
            if agree
            else _("%(party)s 不同意协议解除合同 %(number)s，合同继续有效。%(note)s")
        )
        % {
            "party": _party_name(contract, cancellation.answering_party),
            "number": contract.number,
            "note": note,
        },
        link=_link(contract),
    )
    return cancellation


@transaction.atomic
def contract_cancel_withdraw(*, cancellation: ContractCancellation, actor) -> ContractCancellation:
    """The proposing side takes its proposal back; the contract stays in force."""
    contract, cancellation = _locked(cancellation)
    CONTRACT_WORKFLOW.check(contract, ContractAction.CANCEL_WITHDRAW, actor)
    if cancellation.status != CancellationStatus.PENDING:
        raise ContractCancelNotPending()
    _close(
        cancellation,
        contract=contract,
        action=ContractAction.CANCEL_WITHDRAW,
        actor=actor,
        note="",
    )
    _notify(
        users=_party_users(contract, cancellation.answering_party),
        subject=_("合同 %(number)s 的协议解除提议已撤回") % {"number": contract.number},
        body=_("%(party)s 撤回了协议解除合同 %(number)s 的提议，合同继续有效。")
        % {
            "party": _party_name(contract, cancellation.proposed_by_party),
            "number": contract.number,
        },
        link=_link(contract),
    )
    return cancellation
