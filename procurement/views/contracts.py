"""Contracts for buyers and producers: lists, the detail page, printing, acceptance."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from common.http import posted_pk
from common.numbers import percent_of_ratio, ratio_of_percent
from common.uploads import document_response
from procurement import services
from procurement.forms import (
    INTEREST_PERCENT_PLACES,
    AcceptanceForm,
    AcceptanceLineFormSet,
    AmendmentDecisionForm,
    CancelDecisionForm,
    CancelProposalForm,
    DeclineForm,
    FreightForm,
    InvoiceForm,
    PaymentForm,
    RefundForm,
    ShipForm,
    TermsForm,
)
from procurement.models import INTEREST_RATE_PLACES, ContractStatus
from procurement.rules import (
    contract_is_overdue,
    contract_may_record_payment,
    contracts_overdue_q,
    contracts_with_overdue_flag,
)
from procurement.selectors import (
    contract_for_party,
    contract_invoiced_total,
    contract_late_interest,
    contract_paid_total,
    contract_pending_amendment,
    contract_pending_cancellation,
    contract_refund,
    contracts_of_producer_user,
    contracts_visible_to_buyer,
    membership_roles,
)
from procurement.views._common import (
    PAGE_SIZE,
    Role,
    _run,
    _unit,
)
from procurement.workflows import CONTRACT_WORKFLOW, contract_signed_on
from producers.selectors import producers_managed_by


@login_required
def contract_list(request, unit_pk: int):
    unit = _unit(request, unit_pk)
    contracts = contracts_visible_to_buyer(user=request.user).filter(organisation=unit)
    status = request.GET.get("status", "")
    today = timezone.localdate()
    if status in ContractStatus.values:
        contracts = contracts.filter(status=status)
    elif status == "overdue":
        contracts = contracts.filter(contracts_overdue_q(on=today))
    contracts = contracts_with_overdue_flag(contracts, on=today)
    return render(
        request,
        "procurement/contracts.html",
        {
            "unit": unit,
            "status": status,
            "statuses": ContractStatus.choices,
            "page": Paginator(contracts.order_by("-created_at"), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
        },
    )


@login_required
def supplier_contracts(request):
    contracts = contracts_of_producer_user(user=request.user).order_by("-created_at")
    status = request.GET.get("status", "")
    if status in ContractStatus.values:
        contracts = contracts.filter(status=status)
    contracts = contracts_with_overdue_flag(contracts, on=timezone.localdate())
    return render(
        request,
        "procurement/supplier_contracts.html",
        {
            "status": status,
            "statuses": ContractStatus.choices,
            "page": Paginator(contracts, PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )


def _contract_or_404(request, pk):
    contract = contract_for_party(user=request.user, pk=pk)
    if contract is None:
        raise Http404
    return contract


CONTRACT_FORMS = {
    "freight": FreightForm,
    "decline": DeclineForm,
    "ship": ShipForm,
    "invoice": InvoiceForm,
    "pay": PaymentForm,
    "refund": RefundForm,
    "terms": TermsForm,
    "amendment": AmendmentDecisionForm,
    "cancel": CancelProposalForm,
    "cancel_decision": CancelDecisionForm,
}
# The form each action posts (accepting and declining share one, with two buttons).
ACTION_FORMS = {
    "freight": "freight",
    "decline": "decline",
    "ship": "ship",
    "invoice": "invoice",
    "pay": "pay",
    "refund": "refund",
    "terms": "terms",
    "amend_accept": "amendment",
    "amend_decline": "amendment",
    "cancel_propose": "cancel",
    "cancel_agree": "cancel_decision",
    "cancel_refuse": "cancel_decision",
}
FORMLESS_ACTIONS = {"confirm", "amend_withdraw", "cancel_withdraw"}
AMENDMENT_ACTIONS = {"amend_accept", "amend_decline", "amend_withdraw"}
CANCELLATION_ACTIONS = {"cancel_agree", "cancel_refuse", "cancel_withdraw"}


def _contract_form(name, contract, *args, **kwargs):
    if name == "freight":
        kwargs["contract"] = contract
    return CONTRACT_FORMS[name](*args, prefix=name, **kwargs)


def _contract_action(request, contract, action, form, proposal):
    data = form.cleaned_data if form is not None else {}
    on_contract = {"contract": contract}
    on_amendment = {"amendment": proposal}
    on_cancellation = {"cancellation": proposal}
    calls = {
        "confirm": (services.contract_confirm, on_contract),
        "freight": (
            services.contract_amendment_propose,
            on_contract | {"value": data.get("freight"), "reason": data.get("reason", "")},
        ),
        "amend_accept": (
            services.contract_amendment_decide,
            on_amendment | {"accept": True, "note": data.get("note", "")},
        ),
        "amend_decline": (
            services.contract_amendment_decide,
            on_amendment | {"accept": False, "note": data.get("note", "")},
        ),
        "amend_withdraw": (services.contract_amendment_withdraw, on_amendment),
        "cancel_propose": (
            services.contract_cancel_propose,
            on_contract | {"reason": data.get("reason", "")},
        ),
        "cancel_agree": (
            services.contract_cancel_decide,
            on_cancellation | {"agree": True, "note": data.get("note", "")},
        ),
        "cancel_refuse": (
            services.contract_cancel_decide,
            on_cancellation | {"agree": False, "note": data.get("note", "")},
        ),
        "cancel_withdraw": (services.contract_cancel_withdraw, on_cancellation),
        "decline": (services.contract_decline, on_contract | {"reason": data.get("reason", "")}),
        "ship": (
            services.contract_ship,
            on_contract
            | {
                "carrier": data.get("carrier", ""),
                "tracking_number": data.get("tracking_number", ""),
            },
        ),
        "invoice": (
            services.invoice_record,
            on_contract | {k: data.get(k) for k in ("number", "issued_on", "amount", "scan")},
        ),
        "pay": (
            services.payment_record,
            on_contract | {k: data.get(k) for k in ("reference", "paid_on", "amount")},
        ),
        "refund": (
            services.contract_refund_settle,
            on_contract | {k: data.get(k) for k in ("reference", "refunded_on")},
        ),
        "terms": (
            services.contract_payment_days_set,
            on_contract
            | {
                "days": data.get("payment_days"),
                "daily_interest_rate": ratio_of_percent(
                    data["daily_interest_percent"], places=INTEREST_RATE_PLACES
                )
                if data.get("daily_interest_percent") is not None
                else None,
            },
        ),
    }
    service, kwargs = calls[action]
    return _run(request, form, service, actor=request.user, **kwargs)


@login_required
def contract_detail(request, pk: int):
    contract = _contract_or_404(request, pk)
    forms = {name: _contract_form(name, contract) for name in CONTRACT_FORMS}
    forms["terms"] = TermsForm(
        prefix="terms",
        initial={
            "payment_days": contract.payment_days,
            "daily_interest_percent": percent_of_ratio(
                contract.daily_interest_rate, places=INTEREST_PERCENT_PLACES
            ),
        },
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ACTION_FORMS and action not in FORMLESS_ACTIONS:
            raise Http404
        # Only an amendment or cancellation proposal of this contract, which
        # the user is a party to: anyone else's id is a 404 before any service runs.
        proposal = None
        if action in AMENDMENT_ACTIONS:
            proposal = get_object_or_404(contract.amendments, pk=posted_pk(request, "amendment"))
        elif action in CANCELLATION_ACTIONS:
            proposal = get_object_or_404(
                contract.cancellations, pk=posted_pk(request, "cancellation")
            )
        form = None
        if action in ACTION_FORMS:
            name = ACTION_FORMS[action]
            form = _contract_form(name, contract, request.POST, request.FILES)
            forms[name] = form
        if form is None or form.is_valid():
            if _contract_action(request, contract, action, form, proposal) is not None:
                messages.success(request, _("已保存。"))
                return redirect("procurement:contract-detail", pk=contract.pk)
        if form is not None and form.non_field_errors():
            for error in form.non_field_errors():
                messages.error(request, error)
        contract = _contract_or_404(request, pk)
    is_producer = producers_managed_by(user=request.user).filter(pk=contract.producer_id).exists()
    roles = membership_roles(user=request.user, organisation=contract.organisation)
    today = timezone.localdate()
    return render(
        request,
        "procurement/contract_detail.html",
        {
            "contract": contract,
            "unit": contract.organisation,
            "lines": contract.lines.select_related("product").order_by("pk"),
            "transitions": contract.transitions.select_related("actor"),
            "invoices": contract.invoices.select_related("recorded_by"),
            "payments": contract.payments.select_related("recorded_by"),
            "refund": contract_refund(contract=contract),
            "paid_total": contract_paid_total(contract=contract),
            "invoiced_total": contract_invoiced_total(contract=contract),
            "overdue": contract_is_overdue(contract=contract, on=today),
            "late_interest": contract_late_interest(contract=contract, on=today),
            "pending_amendment": contract_pending_amendment(contract=contract),
            "pending_cancellation": contract_pending_cancellation(contract=contract),
            "is_producer": is_producer,
            "roles": roles,
            "may_record_payment": Role.FINANCE in roles
            and contract_may_record_payment(contract=contract),
            "forms": forms,
            "actions": CONTRACT_WORKFLOW.available_transitions(contract, request.user),
            "Status": ContractStatus,
        },
    )


@login_required
def contract_print(request, pk: int):
    contract = _contract_or_404(request, pk)
    return render(
        request,
        "procurement/contract_print.html",
        {
            "contract": contract,
            "order": contract.order,
            "lines": contract.lines.select_related(
                "product__origin_county__parent__parent"
            ).order_by("pk"),
            "total": contract.goods_amount + contract.freight,
            "signed_on": contract_signed_on(contract=contract),
        },
    )


@login_required
def contract_accept(request, pk: int):
    contract = get_object_or_404(contracts_visible_to_buyer(user=request.user), pk=pk)
    if contract.status != ContractStatus.SHIPPED:
        messages.info(request, _("只有已发货的合同可以验收。"))
        return redirect("procurement:contract-detail", pk=contract.pk)
    lines = list(contract.lines.select_related("product").order_by("pk"))
    initial = [
        {"line_id": line.pk, "received": line.quantity, "accepted": line.quantity} for line in lines
    ]
    line_ids = [line.pk for line in lines]
    formset = AcceptanceLineFormSet(
        request.POST or None, initial=initial, prefix="lines", line_ids=line_ids
    )
    form = AcceptanceForm(request.POST or None)
    if request.method == "POST" and formset.is_valid() and form.is_valid():
        result = _run(
            request,
            form,
            services.contract_accept,
            contract=contract,
            actor=request.user,
            lines=[
                services.LineAcceptance(
                    line_id=row["line_id"],
                    received=row["received"],
                    accepted=row["accepted"],
                    notes=row.get("notes", ""),
                )
                for row in formset.cleaned_data
            ],
            rating=form.cleaned_data["rating"],
            notes=form.cleaned_data["notes"],
        )
        if result is not None:
            messages.success(request, _("验收已完成。"))
            return redirect("procurement:contract-detail", pk=contract.pk)
    line_errors = formset.non_form_errors() if formset.is_bound else []
    if len(formset.forms) != len(lines):
        # The post did not carry one row per line: show the contract's lines afresh.
        formset = AcceptanceLineFormSet(initial=initial, prefix="lines", line_ids=line_ids)
    return render(
        request,
        "procurement/contract_accept.html",
        {
            "contract": contract,
            "unit": contract.organisation,
            "rows": list(zip(lines, formset.forms, strict=True)),
            "formset": formset,
            "line_errors": line_errors,
            "form": form,
        },
    )


@login_required
def invoice_scan(request, pk: int, invoice_pk: int):
    contract = _contract_or_404(request, pk)
    invoice = get_object_or_404(contract.invoices, pk=invoice_pk)
    return document_response(request, invoice.scan, name=f"invoice-{invoice.pk}")
