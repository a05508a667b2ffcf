"""Home, joining as a buyer organisation, members, and a unit's dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from procurement import services
from procurement.forms import (
    InviteForm,
    OrganisationApplicationForm,
)
from procurement.selectors import (
    membership_roles,
    organisations_visible_to,
    unit_actions,
    unit_progress,
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
    return render(request, "procurement/organisation_apply.html", {"form": form})


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
