"""Platform staff's pages of the producers app: appointing county reviewers,
verifying producers' benefit-linkage figures (联农带农核实)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from common.http import posted_pk
from common.roles import require_platform_staff
from producers import services
from producers.exceptions import ProducerError, ReviewerAppointmentError
from producers.forms import LinkageQueueFilterForm, LinkageReturnForm, ReviewerAppointForm
from producers.models import BenefitLinkage, CountyReviewer, LinkageStatus
from producers.selectors import (
    benefit_linkage_for_review,
    benefit_linkage_review_filters,
    benefit_linkages_for_review,
    counties_waiting_without_reviewer,
    county_reviewers,
)
from producers.workflows import LINKAGE_WORKFLOW

LINKAGE_PAGE_SIZE = 30


@login_required
def reviewers(request):
    """Who recommends applications in which county, and which counties wait
    for someone to do it."""
    require_platform_staff(request.user)
    appointing = request.method == "POST" and request.POST.get("action") != "remove"
    form = ReviewerAppointForm(request.POST if appointing else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                reviewer = get_object_or_404(CountyReviewer, pk=posted_pk(request, "reviewer"))
                services.county_reviewer_remove(actor=request.user, reviewer=reviewer)
                messages.success(
                    request,
                    _("已取消 %(email)s 的县级审核人任命（%(county)s）。")
                    % {"email": reviewer.user.email, "county": reviewer.county.full_name},
                )
                return redirect("producers:reviewers")
            if form.is_valid():
                reviewer = services.county_reviewer_appoint(
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    county=form.cleaned_data["county"],
                )
                messages.success(
                    request,
                    _("已任命 %(email)s 为 %(county)s 的县级审核人，并已邮件通知。")
                    % {"email": reviewer.user.email, "county": reviewer.county.full_name},
                )
                return redirect("producers:reviewers")
        except ReviewerAppointmentError as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "producers/reviewers.html",
        {
            "form": form,
            "reviewers": county_reviewers(),
            "waiting": counties_waiting_without_reviewer(),
        },
    )


@login_required
def linkage_queue(request):
    """Benefit-linkage figures waiting for staff (or sent back, or verified),
    by year and county."""
    require_platform_staff(request.user)
    form = LinkageQueueFilterForm(request.GET or None, **benefit_linkage_review_filters())
    filters = form.filters()
    linkages = benefit_linkages_for_review(**filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "producers/linkage_queue.html",
        {
            "form": form,
            "status": filters["status"],
            "status_label": LinkageStatus(filters["status"]).label,
            "page": Paginator(linkages, LINKAGE_PAGE_SIZE).get_page(request.GET.get("page")),
            "query": query.urlencode(),
        },
    )


@login_required
def linkage_review(request, pk: int):
    """One year's figures with the producer's other years and the log; verify
    them or send them back with a reason."""
    require_platform_staff(request.user)
    try:
        linkage = benefit_linkage_for_review(pk=pk)
    except BenefitLinkage.DoesNotExist:
        raise Http404 from None
    return_form = LinkageReturnForm(
        request.POST if request.POST.get("action") == "return" else None
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "verify":
                services.benefit_linkage_verify(linkage=linkage, actor=request.user)
                messages.success(
                    request,
                    _("已核实 %(producer)s %(year)s 年的联农带农数据。")
                    % {"producer": linkage.producer.name, "year": linkage.year},
                )
                return redirect("producers:linkage-queue")
            if action == "return" and return_form.is_valid():
                services.benefit_linkage_return(
                    linkage=linkage, actor=request.user, reason=return_form.cleaned_data["reason"]
                )
                messages.success(
                    request,
                    _("已退回 %(producer)s %(year)s 年的联农带农数据，并已邮件通知生产主体。")
                    % {"producer": linkage.producer.name, "year": linkage.year},
                )
                return redirect("producers:linkage-queue")
            if action not in ("verify", "return"):
                messages.error(request, _("请选择核实或退回。"))
        except ProducerError as exc:
            messages.error(request, str(exc))
            linkage = benefit_linkage_for_review(pk=pk)
    return render(
        request,
        "producers/linkage_review.html",
        {
            "linkage": linkage,
            "return_form": return_form,
            "actions": LINKAGE_WORKFLOW.available_transitions(linkage, request.user),
        },
    )
