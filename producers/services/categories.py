"""Category proposals (类目申请): a producer asks for a category the catalogue
lacks; staff allowed to manage categories accept it, which creates it in
Oscar's tree at once (so the next catalogue import accepts it), or reject it
with a note. The producer's users are told either way."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue.importers import category_names, category_suggestions
from common.notifications import notify_by_email
from common.roles import is_platform_staff
from producers.exceptions import (
    CategoryProposalDuplicatePending,
    CategoryProposalNameExists,
    CategoryProposalNameInvalid,
    CategoryProposalNoteRequired,
    CategoryProposalNotPending,
    CategoryProposalStaffOnly,
)
from producers.lock_objects import category_proposal_lock
from producers.models import CategoryProposal, Producer

Category = get_model("catalogue", "Category")
NAME_MAX = 64


def category_proposal_may_decide(user) -> bool:
    """Who accepts or rejects proposals: platform staff allowed to add categories."""
    return is_platform_staff(user) and user.is_active and user.has_perm("catalogue.add_category")


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > NAME_MAX or ">" in name or "＞" in name:
        raise CategoryProposalNameInvalid()
    return name


def _refuse_existing(name: str) -> None:
    """A category of that name anywhere in the tree is refused, naming it."""
    same = [n for n in category_names() if n.rsplit(" > ", 1)[-1] == name]
    if same:
        raise CategoryProposalNameExists(params={"name": name, "existing": "、".join(same)})


def category_proposal_suggestions(*, name: str) -> list[str]:
    """Existing categories the producer may have meant, shown beside a refusal."""
    return category_suggestions(name, category_names()) if name else []


@transaction.atomic
def category_propose(
    *, producer: Producer, actor, name: str, parent=None, reason: str
) -> CategoryProposal:
    name = _clean_name(name)
    _refuse_existing(name)
    if CategoryProposal.objects.filter(name=name, status=CategoryProposal.Status.PENDING).exists():
        raise CategoryProposalDuplicatePending(params={"name": name})
    # The partial unique constraint settles a race between two proposals.
    try:
        with transaction.atomic():
            return CategoryProposal.objects.create(
                producer=producer, name=name, parent=parent, reason=reason, proposed_by=actor
            )
    except IntegrityError as exc:
        raise CategoryProposalDuplicatePending(params={"name": name}) from exc


def _decide(*, proposal: CategoryProposal, actor, status: str, note: str) -> CategoryProposal:
    if not category_proposal_may_decide(actor):
        raise CategoryProposalStaffOnly()
    proposal = category_proposal_lock(pk=proposal.pk)
    if proposal.status != CategoryProposal.Status.PENDING:
        raise CategoryProposalNotPending(params={"status": proposal.get_status_display()})
    proposal.status = status
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.note = note
    return proposal


def _tell_producer(proposal: CategoryProposal, subject: str, body: str) -> None:
    notify_by_email(
        users=proposal.producer.partner.users.all(),
        subject=subject,
        body=body,
        link=reverse("producers:workspace-categories", args=[proposal.producer_id]),
    )


@transaction.atomic
def category_proposal_accept(
    *, proposal: CategoryProposal, actor, parent=None, note: str = ""
) -> CategoryProposal:
    """Create the category under ``parent`` (a root category without one)."""
    proposal = _decide(
        proposal=proposal, actor=actor, status=CategoryProposal.Status.ACCEPTED, note=note
    )
    _refuse_existing(proposal.name)
    if parent is None:
        category = Category.add_root(name=proposal.name)
    else:
        category = Category.objects.get(pk=parent.pk).add_child(name=proposal.name)
    proposal.category = category
    proposal.parent = parent
    proposal.save()
    _tell_producer(
        proposal,
        _("类目申请已采纳：%(name)s") % {"name": proposal.name},
        _("您申请的类目“%(name)s”已建立，现在可以在商品和导入文件中使用“%(full)s”。")
        % {"name": proposal.name, "full": category.full_name}
        + (f"\n{note}" if note else ""),
    )
    return proposal


@transaction.atomic
def category_proposal_reject(*, proposal: CategoryProposal, actor, note: str) -> CategoryProposal:
    if not (note or "").strip():
        raise CategoryProposalNoteRequired()
    proposal = _decide(
        proposal=proposal, actor=actor, status=CategoryProposal.Status.REJECTED, note=note.strip()
    )
    proposal.save()
    _tell_producer(
        proposal,
        _("类目申请未采纳：%(name)s") % {"name": proposal.name},
        _("您申请的类目“%(name)s”未被采纳。理由：%(note)s")
        % {"name": proposal.name, "note": proposal.note},
    )
    return proposal
