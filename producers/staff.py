"""Platform staff's page of the producers app: appointing county reviewers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from common.http import posted_pk
from common.roles import require_platform_staff
from producers import services
from producers.exceptions import ReviewerAppointmentError
from producers.forms import ReviewerAppointForm
from producers.models import CountyReviewer
from producers.selectors import counties_waiting_without_reviewer, county_reviewers


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
