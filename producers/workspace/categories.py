"""Category proposals (类目申请): the producer's page in its workspace, and
the staff page where they are accepted or rejected."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from common.http import posted_pk
from producers import services
from producers.exceptions import CategoryProposalError, CategoryProposalNameExists
from producers.models import CategoryProposal
from producers.selectors import producers_managed_by
from producers.workspace.category_forms import CategoryDecisionForm, CategoryProposalForm


@login_required
def workspace_categories(request, pk: int):
    producer = get_object_or_404(producers_managed_by(user=request.user), pk=pk)
    form = CategoryProposalForm(request.POST or None, initial={"name": request.GET.get("name", "")})
    suggestions = []
    if request.method == "POST" and form.is_valid():
        try:
            services.category_propose(
                producer=producer,
                actor=request.user,
                name=form.cleaned_data["name"],
                parent=form.cleaned_data["parent"],
                reason=form.cleaned_data["reason"],
            )
        except CategoryProposalError as exc:
            form.add_error("name", str(exc))
            if not isinstance(exc, CategoryProposalNameExists):
                suggestions = services.category_proposal_suggestions(name=form.cleaned_data["name"])
        else:
            messages.success(request, _("类目申请已提交，平台处理后会通知您。"))
            return redirect("producers:workspace-categories", pk=producer.pk)
    elif request.method == "POST" and form.data.get("name"):
        suggestions = services.category_proposal_suggestions(name=form.data["name"])
    return render(
        request,
        "producers/workspace/categories.html",
        {
            "producer": producer,
            "section": "products",
            "form": form,
            "suggestions": suggestions,
            "proposals": CategoryProposal.objects.filter(producer=producer).select_related(
                "parent", "category"
            ),
        },
    )


@login_required
def category_proposals_review(request):
    """Staff: pending proposals, each accepted under a chosen parent or rejected."""
    if not services.category_proposal_may_decide(request.user):
        raise PermissionDenied
    if request.method == "POST":
        proposal = get_object_or_404(CategoryProposal, pk=posted_pk(request, "proposal"))
        form = CategoryDecisionForm(request.POST)
        if form.is_valid():
            try:
                if request.POST.get("action") == "accept":
                    services.category_proposal_accept(
                        proposal=proposal,
                        actor=request.user,
                        parent=form.cleaned_data["parent"],
                        note=form.cleaned_data["note"],
                    )
                    messages.success(
                        request, _("已采纳并建立类目“%(name)s”。") % {"name": proposal.name}
                    )
                else:
                    services.category_proposal_reject(
                        proposal=proposal, actor=request.user, note=form.cleaned_data["note"]
                    )
                    messages.success(request, _("已不采纳“%(name)s”。") % {"name": proposal.name})
            except CategoryProposalError as exc:
                messages.error(request, str(exc))
        else:
            messages.error(request, _("请检查所选的上级类目。"))
        return redirect("producers:category-proposals-review")
    pending = (
        CategoryProposal.objects.filter(status=CategoryProposal.Status.PENDING)
        .select_related("producer", "parent", "proposed_by")
        .order_by("created_at", "pk")
    )
    rows = [
        (p, CategoryDecisionForm(initial={"parent": p.parent_id}, auto_id=f"p{p.pk}_%s"))
        for p in pending
    ]
    return render(request, "producers/category_proposals_review.html", {"rows": rows})
