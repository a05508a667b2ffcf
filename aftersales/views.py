"""After-sales pages: the buyer's cancel and request forms and case page,
the producer's workspace list and case page, staff's arbitration queue.

Every case is looked up among the cases the visitor may see (their orders,
their producer's lines, or staff's queue): anyone else's id is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from aftersales import selectors, services
from aftersales.forms import (
    CaseRequestForm,
    OptionalReasonForm,
    ReasonForm,
    ReturnWaybillForm,
)
from aftersales.models import AfterSalesCase, CasePhoto
from aftersales.workflows import CASE_WORKFLOW
from common.exceptions import DomainError
from common.roles import is_platform_staff, require_platform_staff
from common.uploads import document_response
from producers.selectors import producers_managed_by

Order = get_model("order", "Order")

PER_PAGE = 30


def _buyers_order(request, number: str):
    order = Order.objects.filter(number=number, user=request.user).first()
    if order is None:
        raise Http404
    return order


def _order_page(order):
    return redirect("customer:order", order_number=order.number)


@login_required
@require_POST
def order_cancel(request, number: str):
    order = _buyers_order(request, number)
    form = OptionalReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        case = services.order_cancel(order_id=order.pk, actor=request.user, reason=reason)
    except DomainError as exc:
        messages.error(request, str(exc))
        return _order_page(order)
    if case is None:
        messages.success(request, _("订单已取消，库存已释放。"))
        return _order_page(order)
    messages.success(
        request, _("订单已取消，已付款项 %(amount)s 元将退还给您。") % {"amount": case.amount}
    )
    return redirect("aftersales:case", pk=case.pk)


@login_required
def case_request(request, number: str, line_pk: int):
    order = _buyers_order(request, number)
    line = get_object_or_404(order.lines, pk=line_pk)
    open_quantity = selectors.order_line_quantities_open(order=order).get(line.pk, 0)
    if open_quantity <= 0:
        messages.error(request, _("这件商品没有可以申请售后的数量（未发货，或已全部申请）。"))
        return _order_page(order)
    form = CaseRequestForm(request.POST or None, request.FILES or None, max_quantity=open_quantity)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_request(
                order_id=order.pk,
                line_id=line.pk,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                quantity=form.cleaned_data["quantity"],
                reason=form.cleaned_data["reason"],
                description=form.cleaned_data["description"],
                photos=form.cleaned_data["photos"],
            )
        except DomainError as exc:
            form.add_error(getattr(exc, "field", None), str(exc))
        else:
            messages.success(request, _("售后申请已提交，卖家会在期限内处理。"))
            return redirect("aftersales:case", pk=case.pk)
    return render(
        request,
        "aftersales/request_form.html",
        {"order": order, "line": line, "form": form, "open_quantity": open_quantity},
    )


def _case_context(case, user):
    return {
        "case": case,
        "log": case.log.select_related("actor"),
        "photos": case.photos.all(),
        "actions": CASE_WORKFLOW.available_transitions(case, user),
        "overdue": selectors.case_is_overdue(case),
        "reason_form": ReasonForm(),
        "waybill_form": ReturnWaybillForm(),
        "reason_actions": [
            ("reject", _("拒绝")),
            ("dispute", _("申请平台介入")),
            ("decline", _("判定驳回")),
        ],
    }


@login_required
def case_detail(request, pk: int):
    case = get_object_or_404(
        AfterSalesCase.objects.select_related("order", "line", "producer", "bank_refund"),
        pk=pk,
        order__user=request.user,
    )
    return render(request, "aftersales/case_detail.html", _case_context(case, request.user))


def _act(request, case, redirect_to):
    """Take the posted step on ``case`` through its service; a refusal is shown, nothing changes."""
    action = request.POST.get("action", "")
    reason = (request.POST.get("reason") or "").strip()
    try:
        if action == "accept":
            services.case_accept(case_id=case.pk, actor=request.user)
        elif action == "reject":
            services.case_reject(case_id=case.pk, actor=request.user, reason=reason)
        elif action == "dispute":
            services.case_dispute(case_id=case.pk, actor=request.user, reason=reason)
        elif action == "withdraw":
            services.case_withdraw(case_id=case.pk, actor=request.user)
        elif action == "ship_back":
            services.case_ship_back(
                case_id=case.pk,
                actor=request.user,
                carrier=request.POST.get("carrier", ""),
                tracking_number=request.POST.get("tracking_number", ""),
            )
        elif action == "receive":
            services.case_receive_return(case_id=case.pk, actor=request.user)
        elif action in ("approve", "decline"):
            services.case_arbitrate(
                case_id=case.pk, actor=request.user, approve=action == "approve", reason=reason
            )
        else:
            messages.error(request, _("请选择要办理的操作。"))
            return redirect_to
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        case.refresh_from_db()
        messages.success(
            request,
            _("已办理，售后单当前状态：%(status)s。") % {"status": case.get_status_display()},
        )
    return redirect_to


@login_required
@require_POST
def case_buyer_act(request, pk: int):
    case = get_object_or_404(AfterSalesCase, pk=pk, order__user=request.user)
    return _act(request, case, redirect("aftersales:case", pk=case.pk))


@login_required
def case_photo(request, pk: int, photo_pk: int):
    """A request's photo, to the buyer, the line's producer and staff only."""
    photo = get_object_or_404(
        CasePhoto.objects.select_related("case__order"), pk=photo_pk, case_id=pk
    )
    case = photo.case
    allowed = (
        case.order.user_id == request.user.pk
        or is_platform_staff(request.user)
        or producers_managed_by(user=request.user).filter(pk=case.producer_id).exists()
    )
    if not allowed:
        raise Http404
    return document_response(request, photo.image, name=f"aftersales-{case.pk}-{photo.pk}")


def _producer(request, producer_pk):
    return get_object_or_404(producers_managed_by(user=request.user), pk=producer_pk)


@login_required
def workspace_cases(request, producer_pk: int):
    producer = _producer(request, producer_pk)
    page = Paginator(selectors.cases_of_producer(producer=producer), PER_PAGE).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    return render(
        request,
        "aftersales/workspace_cases.html",
        {
            "producer": producer,
            "section": "aftersales",
            "page_obj": page,
            "rows": [(case, selectors.case_is_overdue(case, now)) for case in page.object_list],
        },
    )


@login_required
def workspace_case(request, producer_pk: int, pk: int):
    producer = _producer(request, producer_pk)
    case = get_object_or_404(
        AfterSalesCase.objects.select_related("order", "line", "producer"), pk=pk, producer=producer
    )
    if request.method == "POST":
        return _act(
            request,
            case,
            redirect("aftersales:workspace-case", producer_pk=producer.pk, pk=case.pk),
        )
    return render(
        request,
        "aftersales/workspace_case.html",
        {"producer": producer, "section": "aftersales", **_case_context(case, request.user)},
    )


@login_required
def staff_cases(request):
    require_platform_staff(request.user)
    show_all = request.GET.get("all") == "1"
    page = Paginator(selectors.cases_for_arbitration(show_all=show_all), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "aftersales/staff_cases.html",
        {"page": page, "page_obj": page, "show_all": show_all},
    )


@login_required
@require_POST
def staff_order_cancel(request, number: str):
    """Staff cancel an order before it ships, from the dashboard order page."""
    require_platform_staff(request.user)
    order = get_object_or_404(Order, number=number)
    form = OptionalReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        case = services.order_cancel(order_id=order.pk, actor=request.user, reason=reason)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        if case is None:
            messages.success(request, _("订单已取消，库存已释放。"))
        else:
            messages.success(
                request,
                _("订单已取消，已付款项 %(amount)s 元正在退还买家。") % {"amount": case.amount},
            )
    return redirect("dashboard:order-detail", number=order.number)


@login_required
def staff_case(request, pk: int):
    require_platform_staff(request.user)
    case = get_object_or_404(
        AfterSalesCase.objects.select_related("order", "line", "producer", "bank_refund"), pk=pk
    )
    if request.method == "POST":
        return _act(request, case, redirect("aftersales:staff-case", pk=case.pk))
    return render(request, "aftersales/staff_case.html", _case_context(case, request.user))
