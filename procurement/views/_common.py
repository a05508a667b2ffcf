"""What every procurement page shares: the staff-only decorator, running a
service with its errors shown on the form, and the unit and year lookups."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from common.roles import require_platform_staff
from partner.exceptions import InsufficientStock
from procurement.exceptions import ProcurementError, ProcurementPermissionDenied
from procurement.models import (
    BuyerOrganisation,
    Membership,
)
from procurement.selectors import organisations_visible_to

Role = Membership.Role
PAGE_SIZE = 20
# The programme's years; outside them a plan year is junk, not a date to build.
YEAR_MIN, YEAR_MAX = 2000, 2100


def staff_only(view):
    """Programme staff only: 403 for everyone else who is signed in."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        require_platform_staff(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def _run(request, form, service, /, **kwargs):
    """Call a service; domain errors become the form's (or the page's) message,
    and a missing role a 403. Returns the service's result, or None on error."""
    try:
        return service(**kwargs)
    except ProcurementPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except (ProcurementError, InsufficientStock) as exc:
        if form is not None:
            form.add_error(None, str(exc))
        else:
            messages.error(request, str(exc))
    return None


def _unit(request, pk: int) -> BuyerOrganisation:
    return get_object_or_404(organisations_visible_to(user=request.user), pk=pk)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if YEAR_MIN <= year <= YEAR_MAX else timezone.localdate().year


def _year_or_404(year: int) -> int:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404(_("没有这个年度。"))
    return year
