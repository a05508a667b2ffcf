"""Purchase orders: a unit's list and one order's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from catalogue.selectors import price_watch_listings, with_reference_prices
from procurement import services
from procurement.exceptions import ProcurementError, SegregationOfDuties
from procurement.forms import (
    DecisionForm,
    OrderForm,
    OrderLineForm,
)
from procurement.models import (
    PaymentTerms,
    PurchaseOrder,
)
from procurement.selectors import (
    membership_roles,
    order_lines_price_watch,
    order_summary,
    orderable_stockrecords,
    orders_visible_to,
)
from procurement.views._common import (
    PAGE_SIZE,
    _run,
    _unit,
)
from procurement.workflows import ORDER_WORKFLOW, OrderAction


@login_required
def order_list(request, unit_pk: int):
    unit = _unit(request, unit_pk)
    form = OrderForm(request.POST or None, initial={"payment_terms": PaymentTerms.GOODS_FIRST})
    if request.method == "POST" and form.is_valid():
        order = _run(
            request,
            form,
            services.purchase_order_create,
            organisation=unit,
            purchaser=request.user,
            **form.cleaned_data,
        )
        if order is not None:
            return redirect("procurement:order-detail", pk=order.pk)
    orders = (
        unit.orders.select_related("purchaser", "approver")
        .annotate(line_count=Count("lines"))
        .order_by("-created_at")
    )
    return render(
        request,
        "procurement/orders.html",
        {
            "unit": unit,
            "form": form,
            "page": Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page")),
            "roles": membership_roles(user=request.user, organisation=unit),
        },
    )


def _decision_refusal(order: PurchaseOrder, user) -> SegregationOfDuties | None:
    """Why an approver may not decide this order, when the reason is that they placed it."""
    try:
        ORDER_WORKFLOW.check(order, OrderAction.APPROVE, user)
    except SegregationOfDuties as refusal:
        return refusal
    except ProcurementError:
        pass
    return None


@login_required
def order_detail(request, pk: int):
    order = get_object_or_404(orders_visible_to(user=request.user), pk=pk)
    unit = order.organisation
    line_form, decision_form = OrderLineForm(), DecisionForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "line":
            line_form = OrderLineForm(request.POST)
            if line_form.is_valid():
                stockrecord = (
                    orderable_stockrecords()
                    .filter(pk=line_form.cleaned_data["stockrecord"])
                    .first()
                )
                if stockrecord is None:
                    line_form.add_error(None, _("该商品暂不可采购。"))
                else:
                    _run(
                        request,
                        line_form,
                        services.purchase_order_line_set,
                        order=order,
                        actor=request.user,
                        stockrecord=stockrecord,
                        quantity=line_form.cleaned_data["quantity"],
                        is_preorder=line_form.cleaned_data["is_preorder"],
                    )
            if line_form.is_valid() and not line_form.errors:
                return redirect(request.get_full_path())
            for error in line_form.errors.get("__all__", []) + line_form.errors.get("quantity", []):
                messages.error(request, error)
        elif action == "submit":
            if _run(request, None, services.purchase_order_submit, order=order, actor=request.user):
                messages.success(request, _("采购单已提交审批。"))
                return redirect("procurement:order-detail", pk=order.pk)
        elif action == "decide":
            decision_form = DecisionForm(request.POST)
            if decision_form.is_valid() and _run(
                request,
                decision_form,
                services.purchase_order_decide,
                order=order,
                actor=request.user,
                approve=decision_form.cleaned_data["decision"] == "approve",
                reason=decision_form.cleaned_data["reason"],
            ):
                messages.success(request, _("审批意见已保存。"))
                return redirect("procurement:order-detail", pk=order.pk)
        else:
            raise Http404
        order.refresh_from_db()
    summary = order_summary(order=order)
    order_lines_price_watch(summary=summary)
    query = request.GET.get("q", "").strip()
    catalogue = None
    if order.status == PurchaseOrder.Status.DRAFT:
        catalogue = Paginator(
            price_watch_listings(orderable_stockrecords(query=query)), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        catalogue.object_list = with_reference_prices(catalogue.object_list)
    return render(
        request,
        "procurement/order_detail.html",
        {
            "unit": unit,
            "order": order,
            "summary": summary,
            "catalogue": catalogue,
            "query": query,
            "line_form": line_form,
            "decision_form": decision_form,
            "contracts": order.contracts.select_related("producer__partner").order_by("pk"),
            "transitions": order.transitions.select_related("actor"),
            "actions": ORDER_WORKFLOW.available_transitions(order, request.user),
            "decision_refusal": _decision_refusal(order, request.user),
        },
    )
