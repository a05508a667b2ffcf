"""A producer's settlement statement (结算对账单) in its workspace, as a page
and as an XLSX download. It lives in procurement because it reads contracts;
the producer is looked up among the user's own, so another's id is a 404."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from common.db_routing import reporting_reads
from procurement.forms import StatementPeriodForm
from procurement.statements import producer_statement, statement_xlsx
from producers.selectors import producers_managed_by


def _period(request, producer_pk: int):
    producer = get_object_or_404(producers_managed_by(user=request.user), pk=producer_pk)
    initial = StatementPeriodForm.initial_for(timezone.localdate())
    form = StatementPeriodForm(request.GET if "kind" in request.GET else initial)
    if form.is_valid():
        period = form.period()
    else:
        # A bad period shows its message beside this month's statement.
        fallback = StatementPeriodForm(initial)
        fallback.is_valid()
        period = fallback.period()
    return producer, form, period


@login_required
def supplier_statement(request, producer_pk: int):
    producer, form, period = _period(request, producer_pk)
    statement = producer_statement(producer=producer, period=period)
    return render(
        request,
        "procurement/supplier_statement.html",
        {
            "producer": producer,
            "section": "statement",
            "form": form,
            "statement": statement,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def supplier_statement_xlsx(request, producer_pk: int):
    producer, _form, period = _period(request, producer_pk)
    # A download is a report: it reads the replica (the page stays on the primary).
    with reporting_reads():
        exported = statement_xlsx(producer_statement(producer=producer, period=period))
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response
