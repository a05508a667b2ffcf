"""Invoice requests (发票) in the producer's workspace: the list, and recording
one as issued with its number, date and PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from producers import services
from producers.exceptions import InvoiceError, ProducerError
from producers.selectors import invoice_requests_of
from producers.workspace.forms import InvoiceIssueForm
from producers.workspace.views import PER_PAGE, _producer, _render


@login_required
def workspace_invoices(request, pk: int):
    producer = _producer(request, pk)
    page = Paginator(invoice_requests_of(producer=producer), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return _render(
        request,
        "invoices.html",
        producer,
        "invoices",
        {"page_obj": page, "invoices": page.object_list},
    )


@login_required
def workspace_invoice(request, pk: int, invoice_pk: int):
    producer = _producer(request, pk)
    invoice = get_object_or_404(invoice_requests_of(producer=producer), pk=invoice_pk)
    form = InvoiceIssueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not invoice.is_issued and form.is_valid():
        try:
            services.invoice_issue(
                producer=producer,
                invoice_id=invoice.pk,
                actor=request.user,
                invoice_number=form.cleaned_data["invoice_number"],
                issued_on=form.cleaned_data["issued_on"],
                pdf=form.cleaned_data["pdf"],
            )
        except InvoiceError as error:
            field = getattr(error, "field", None)
            form.add_error(field if field in form.fields else None, str(error))
        except ProducerError as error:
            messages.error(request, str(error))
            return redirect("producers:workspace-invoice", pk=producer.pk, invoice_pk=invoice.pk)
        else:
            messages.success(request, _("已登记开票，买家可以下载发票。"))
            return redirect("producers:workspace-invoice", pk=producer.pk, invoice_pk=invoice.pk)
    return _render(
        request,
        "invoice_detail.html",
        producer,
        "invoices",
        {"invoice": invoice, "order": invoice.order, "form": form},
    )
