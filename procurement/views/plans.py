"""Filing and revising a unit's annual plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.numbers import percent_of_ratio
from procurement import services
from procurement.forms import PlanForm
from procurement.models import CanteenStatus
from procurement.selectors import (
    plan_filing_deadline,
    plan_filing_is_open,
    plan_of,
    plan_revisions,
    reserve_ratio_minimum,
)
from procurement.views._common import (
    _run,
    _unit,
    _year_or_404,
)


@login_required
def plan_file(request, unit_pk: int, year: int):
    unit = _unit(request, unit_pk)
    year = _year_or_404(year)
    plan = plan_of(organisation=unit, year=year)
    minimum = reserve_ratio_minimum(year=year, region=unit.region)
    initial = {
        "reserve_ratio_percent": percent_of_ratio(minimum),
        "canteen_status": CanteenStatus.OWN,
    }
    if plan is not None:
        initial = {
            "canteen_status": plan.canteen_status,
            "represented_by": plan.represented_by_id,
            "canteen_budget": plan.canteen_budget,
            "reserve_ratio_percent": percent_of_ratio(plan.reserve_ratio),
            "union_purchasing": plan.union_purchasing,
        }
    filing_open = plan_filing_is_open(year=year)
    form = PlanForm(request.POST or None, organisation=unit, initial=initial)
    if not filing_open:
        # After the deadline the plan is read-only: say so instead of offering
        # a button that can only be refused.
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            request,
            form,
            services.annual_plan_file,
            organisation=unit,
            actor=request.user,
            year=year,
            canteen_status=data["canteen_status"],
            canteen_budget=data["canteen_budget"],
            reserve_ratio=form.reserve_ratio,
            union_purchasing=data["union_purchasing"],
            represented_by=data["represented_by"],
            reason=data["reason"],
        ):
            messages.success(request, _("%(year)d 年度计划已保存。") % {"year": year})
            return redirect(
                f"{reverse('procurement:dashboard', kwargs={'unit_pk': unit.pk})}?year={year}"
            )
    return render(
        request,
        "procurement/plan_form.html",
        {
            "unit": unit,
            "year": year,
            "plan": plan,
            "form": form,
            "minimum": minimum,
            "deadline": plan_filing_deadline(year=year),
            "filing_open": filing_open,
            "revisions": plan_revisions(plan=plan) if plan else [],
        },
    )
