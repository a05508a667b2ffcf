"""Demand signals: what shoppers searched and did not find (search.demand),
for programme staff in the dashboard and for producers in their workspace."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from common.roles import require_platform_staff
from producers.selectors import producers_managed_by
from search.demand import DEMAND_WINDOW_DAYS, zero_result_top
from search.querying import synonym_key

STAFF_TOP = 100
PRODUCER_TOP = 30


@login_required
def staff_zero_results(request):
    require_platform_staff(request.user)
    rows = zero_result_top(limit=STAFF_TOP)
    return render(
        request,
        "search/demand/staff.html",
        {
            "rows": rows,
            "days": DEMAND_WINDOW_DAYS,
            # Queries in Latin letters can become an English synonym in one click.
            "latin_queries": {row["query"] for row in rows if synonym_key(row["query"])},
        },
    )


@login_required
def workspace_zero_results(request, producer_pk: int):
    producer = get_object_or_404(producers_managed_by(user=request.user), pk=producer_pk)
    return render(
        request,
        "search/demand/workspace.html",
        {
            "producer": producer,
            "section": "demand",
            "rows": zero_result_top(limit=PRODUCER_TOP),
            "days": DEMAND_WINDOW_DAYS,
        },
    )
