"""Programme staff's review pages: unit applications, off-platform evidence, progress."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from common.http import posted_pk
from common.uploads import document_response
from procurement import services
from procurement.forms import UsccContestDecisionForm, VerifyForm
from procurement.models import (
    BuyerOrganisation,
    OffPlatformPurchase,
    UsccContest,
)
from procurement.selectors import (
    off_platform_awaiting_verification,
    units_filing_plans,
    units_progress_attach,
    uscc_contests_open,
    uscc_contests_resolved,
    uscc_history,
)
from procurement.views._common import (
    PAGE_SIZE,
    _run,
    _year,
    staff_only,
)


@staff_only
def review_units(request):
    if request.method == "POST":
        organisation = get_object_or_404(
            BuyerOrganisation, pk=posted_pk(request, "organisation"), status="pending"
        )
        approve = request.POST.get("decision") == "approve"
        if _run(
            request,
            None,
            services.buyer_organisation_review,
            organisation=organisation,
            actor=request.user,
            approve=approve,
        ):
            messages.success(request, _("已处理“%(name)s”的申请。") % {"name": organisation.name})
        return redirect("procurement:review-units")
    pending = list(
        BuyerOrganisation.objects.filter(status="pending").select_related(
            "region__parent__parent", "applicant"
        )
    )
    history = uscc_history(usccs={organisation.uscc for organisation in pending})
    for organisation in pending:
        # What else happened to this code: earlier rejected or withdrawn
        # applications, and open claims against this one.
        organisation.uscc_history = [
            other for other in history.get(organisation.uscc, []) if other.pk != organisation.pk
        ]
    return render(
        request,
        "procurement/review_units.html",
        {"organisations": pending, "open_contests": uscc_contests_open().count()},
    )


@staff_only
def review_uscc_contests(request):
    """Contested credit codes: who holds each, who claims it, and the decision."""
    form = UsccContestDecisionForm(request.POST or None)
    if request.method == "POST":
        contest = get_object_or_404(UsccContest, pk=posted_pk(request, "contest"))
        if form.is_valid():
            if _run(
                request,
                None,
                services.uscc_contest_resolve,
                contest=contest,
                actor=request.user,
                uphold=form.cleaned_data["decision"] == "uphold",
                note=form.cleaned_data["note"],
            ):
                messages.success(request, _("申诉已处理，双方已收到通知。"))
            return redirect("procurement:review-contests")
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, error)
        return redirect("procurement:review-contests")
    contests = list(uscc_contests_open())
    history = uscc_history(usccs={contest.uscc for contest in contests})
    for contest in contests:
        contest.uscc_history = history.get(contest.uscc, [])
    return render(
        request,
        "procurement/review_contests.html",
        {
            "contests": contests,
            "resolved": uscc_contests_resolved()[:20],
            "form": UsccContestDecisionForm(),
        },
    )


@staff_only
def review_off_platform(request):
    form = VerifyForm(request.POST or None)
    if request.method == "POST":
        record = get_object_or_404(
            off_platform_awaiting_verification(), pk=posted_pk(request, "record")
        )
        if form.is_valid():
            if _run(
                request,
                None,
                services.off_platform_purchase_verify,
                record=record,
                actor=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            ):
                messages.success(request, _("核实结果已保存。"))
        else:
            for field_errors in form.errors.values():
                for error in field_errors:
                    messages.error(request, error)
        return redirect("procurement:review-off-platform")
    return render(
        request,
        "procurement/review_off_platform.html",
        {
            "page": Paginator(
                off_platform_awaiting_verification().order_by("created_at"), PAGE_SIZE
            ).get_page(request.GET.get("page")),
            "form": VerifyForm(),
        },
    )


@staff_only
def review_evidence(request, pk: int):
    record = get_object_or_404(OffPlatformPurchase, pk=pk)
    return document_response(request, record.evidence, name=f"off-platform-{record.pk}")


@staff_only
def review_progress(request):
    year = _year(request)
    page = Paginator(units_filing_plans(), 50).get_page(request.GET.get("page"))
    # One set of grouped queries for the whole page, whatever its number.
    page.object_list = units_progress_attach(page.object_list, year=year)
    return render(request, "procurement/review_progress.html", {"year": year, "page": page})
