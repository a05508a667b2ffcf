"""Home, joining as a buyer organisation, members, and a unit's dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from procurement import services
from procurement.forms import (
    InviteForm,
    OrganisationApplicationForm,
    UsccContestForm,
)
from procurement.models import BuyerOrganisation
from procurement.selectors import (
    membership_roles,
    organisations_visible_to,
    unit_actions,
    unit_progress,
    uscc_contests_of,
    uscc_holder,
)
from procurement.views._common import (
    _run,
    _unit,
    _year,
)
from producers.selectors import producers_managed_by


@login_required
def home(request):
    units = list(organisations_visible_to(user=request.user)) if not request.user.is_staff else []
    return render(
        request,
        "procurement/home.html",
        {
            "units": units,
            "is_producer": producers_managed_by(user=request.user).exists(),
        },
    )


@login_required
def organisation_apply(request):
    form = OrganisationApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = _run(
            request,
            form,
            services.buyer_organisation_apply,
            applicant=request.user,
            kind=data["kind"],
            name=data["name"],
            uscc=data["uscc"],
            region=data["county"],
        )
        if organisation is not None:
            messages.success(request, _("申请已提交，平台审核通过后即可开展采购。"))
            return redirect("procurement:home")
    contest_url = None
    if form.is_bound and form.errors and uscc_holder(uscc=form.cleaned_data.get("uscc", "")):
        # The code is someone else's now: the way out is a claim staff decide.
        query = urlencode(
            {"uscc": form.cleaned_data["uscc"], "name": form.cleaned_data.get("name", "")}
        )
        contest_url = f"{reverse('procurement:uscc-contest')}?{query}"
    return render(
        request,
        "procurement/organisation_apply.html",
        {"form": form, "contest_url": contest_url},
    )


@require_POST
@login_required
def organisation_withdraw(request, unit_pk: int):
    organisation = get_object_or_404(BuyerOrganisation, pk=unit_pk, applicant=request.user)
    if _run(
        request,
        None,
        services.buyer_organisation_withdraw,
        organisation=organisation,
        actor=request.user,
    ):
        messages.success(request, _("已撤回“%(name)s”的入驻申请。") % {"name": organisation.name})
    return redirect("procurement:home")


@login_required
def uscc_contest(request):
    """Claim a credit code someone else holds (代码申诉), and follow one's claims."""
    initial = {
        "uscc": request.GET.get("uscc", "")[:24],
        "claimant_unit_name": request.GET.get("name", "")[:128],
    }
    form = UsccContestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            request,
            form,
            services.uscc_contest_file,
            claimant=request.user,
            uscc=data["uscc"],
            claimant_unit_name=data["claimant_unit_name"],
            statement=data["statement"],
        ):
            messages.success(request, _("申诉已提交，平台工作人员核实后会以邮件通知您。"))
            return redirect("procurement:uscc-contest")
    return render(
        request,
        "procurement/uscc_contest.html",
        {"form": form, "contests": uscc_contests_of(user=request.user)},
    )


@login_required
def members(request, unit_pk: int):
    unit = _unit(request, unit_pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            services.membership_invite,
            organisation=unit,
            actor=request.user,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
        ):
            messages.success(request, _("已添加成员并发送通知邮件。"))
            return redirect("procurement:members", unit_pk=unit.pk)
    return render(
        request,
        "procurement/members.html",
        {
            "unit": unit,
            "form": form,
            "memberships": unit.memberships.select_related("user").order_by("user__email", "role"),
            "roles": membership_roles(user=request.user, organisation=unit),
        },
    )


@login_required
def dashboard(request, unit_pk: int):
    unit = _unit(request, unit_pk)
    year = _year(request)
    return render(
        request,
        "procurement/dashboard.html",
        {
            "unit": unit,
            "year": year,
            "progress": unit_progress(unit=unit, year=year),
            "actions": unit_actions(unit=unit),
            "roles": membership_roles(user=request.user, organisation=unit),
        },
    )
