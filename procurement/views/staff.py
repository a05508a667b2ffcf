"""Programme staff's review pages: unit applications, off-platform evidence, progress."""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from common.uploads import document_response
from procurement import services
from procurement.forms import VerifyForm
from procurement.models import (
    BuyerOrganisation,
    OffPlatformPurchase,
)
from procurement.selectors import (
    off_platform_awaiting_verification,
    units_progress_overview,
)
from procurement.views._common import (
    PAGE_SIZE,
    _posted_pk,
    _run,
    _year,
    staff_only,
)


@staff_only
def review_units(request):
    if request.method == "POST":
        organisation = get_object_or_404(
            BuyerOrganisation, pk=_posted_pk(request, "organisation"), status="pending"
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
    pending = BuyerOrganisation.objects.filter(status="pending").select_related(
        "region__parent__parent", "applicant"
    )
    return render(request, "procurement/review_units.html", {"organisations": pending})


@staff_only
def review_off_platform(request):
    form = VerifyForm(request.POST or None)
    if request.method == "POST":
        record = get_object_or_404(
            off_platform_awaiting_verification(), pk=_posted_pk(request, "record")
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
    page = Paginator(units_progress_overview(year=year), 50).get_page(request.GET.get("page"))
    for unit in page:
        unit.percent = (
            (unit.counted * 100 / unit.target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if unit.target
            else None
        )
    return render(request, "procurement/review_progress.html", {"year": year, "page": page})
