"""Procurement pages. Every object is looked up through a selector that already
limits it to what the user may see, so another unit's or producer's id is a 404;
what a visible object's viewer may do is decided by the services (403 otherwise)."""

from decimal import ROUND_HALF_UP, Decimal
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from partner.exceptions import InsufficientStock
from procurement import services
from procurement.exceptions import ProcurementError, ProcurementPermissionDenied
from procurement.forms import (
    AcceptanceForm,
    AcceptanceLineFormSet,
    DecisionForm,
    DeclineForm,
    FreightForm,
    HelpedSaleForm,
    InviteForm,
    InvoiceForm,
    OffPlatformForm,
    OrderForm,
    OrderLineForm,
    OrganisationApplicationForm,
    PaymentForm,
    PlanForm,
    PriceBreakForm,
    ShipForm,
    TermsForm,
    VerifyForm,
)
from procurement.models import (
    BuyerOrganisation,
    CanteenStatus,
    ContractStatus,
    Membership,
    OffPlatformPurchase,
    PaymentTerms,
    PriceBreak,
    PurchaseOrder,
)
from procurement.selectors import (
    contract_for_party,
    contract_invoiced_total,
    contract_is_overdue,
    contract_late_interest,
    contract_paid_total,
    contracts_of_producer_user,
    contracts_visible_to_buyer,
    membership_roles,
    off_platform_awaiting_verification,
    orderable_stockrecords,
    orders_visible_to,
    organisations_visible_to,
    plan_filing_deadline,
    plan_of,
    plan_revisions,
    price_breaks_of_producer_user,
    reserve_ratio_minimum,
    unit_actions,
    unit_progress,
    units_progress_overview,
)
from producers.selectors import producers_managed_by

StockRecord = get_model("partner", "StockRecord")
Role = Membership.Role
PAGE_SIZE = 20


def staff_only(view):
    """Programme staff only: 403 for everyone else who is signed in."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied
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
    return year if 2000 <= year <= 2100 else timezone.localdate().year


# --- home, organisations and members ----------------------------------------------------


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


@staff_only
def review_units(request):
    if request.method == "POST":
        organisation = get_object_or_404(
            BuyerOrganisation, pk=request.POST.get("organisation"), status="pending"
        )
        approve = request.POST.get("decision") == "approve"
        if _run(
            request,
            None,
            services.buyer_organisation_review,
            organisation=organisation,
            actor=request.user,
            approve=approve,
        ):
            messages.success(request, _("已处理“%(name)s”的申请。") % {"name": organisation.name})
        return redirect("procurement:review-units")
    pending = BuyerOrganisation.objects.filter(status="pending").select_related(
        "region__parent__parent", "applicant"
    )
    return render(request, "procurement/review_units.html", {"organisations": pending})


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


# --- dashboard and plans ------------------------------------------------------------------


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


@login_required
def plan_file(request, unit_pk: int, year: int):
    unit = _unit(request, unit_pk)
    plan = plan_of(organisation=unit, year=year)
    minimum = reserve_ratio_minimum(year=year, region=unit.region)
    initial = {"reserve_ratio_percent": minimum * 100, "canteen_status": CanteenStatus.OWN}
    if plan is not None:
        initial = {
            "canteen_status": plan.canteen_status,
            "represented_by": plan.represented_by_id,
            "canteen_budget": plan.canteen_budget,
            "reserve_ratio_percent": plan.reserve_ratio * 100,
            "union_purchasing": plan.union_purchasing,
        }
    form = PlanForm(request.POST or None, organisation=unit, initial=initial)
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
            "revisions": plan_revisions(plan=plan) if plan else [],
        },
    )


# --- purchase orders ----------------------------------------------------------------------


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
    lines = list(
        order.lines.select_related("product__producer__partner", "stockrecord").order_by("pk")
    )
    query = request.GET.get("q", "").strip()
    catalogue = None
    if order.status == PurchaseOrder.Status.DRAFT:
        catalogue = Paginator(orderable_stockrecords(query=query), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    return render(
        request,
        "procurement/order_detail.html",
        {
            "unit": unit,
            "order": order,
            "lines": lines,
            "catalogue": catalogue,
            "query": query,
            "line_form": line_form,
            "decision_form": decision_form,
            "contracts": order.contracts.select_related("producer__partner").order_by("pk"),
            "transitions": order.transitions.select_related("actor"),
            "roles": membership_roles(user=request.user, organisation=unit),
        },
    )


# --- contracts -----------------------------------------------------------------------------


@login_required
def contract_list(request, unit_pk: int):
    unit = _unit(request, unit_pk)
    contracts = contracts_visible_to_buyer(user=request.user).filter(organisation=unit)
    status = request.GET.get("status", "")
    if status in ContractStatus.values:
        contracts = contracts.filter(status=status)
    elif status == "overdue":
        contracts = contracts.filter(
            status=ContractStatus.ACCEPTED, due_date__lt=timezone.localdate()
        )
    return render(
        request,
        "procurement/contracts.html",
        {
            "unit": unit,
            "status": status,
            "statuses": ContractStatus.choices,
            "today": timezone.localdate(),
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
    return render(
        request,
        "procurement/supplier_contracts.html",
        {
            "status": status,
            "statuses": ContractStatus.choices,
            "today": timezone.localdate(),
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
    "terms": TermsForm,
}


def _contract_action(request, contract, action, form):
    data = form.cleaned_data if form is not None else {}
    user = request.user
    calls = {
        "confirm": (services.contract_confirm, {}),
        "freight": (services.contract_freight_set, {"freight": data.get("freight")}),
        "decline": (services.contract_decline, {"reason": data.get("reason", "")}),
        "ship": (
            services.contract_ship,
            {
                "carrier": data.get("carrier", ""),
                "tracking_number": data.get("tracking_number", ""),
            },
        ),
        "invoice": (
            services.invoice_record,
            {k: data.get(k) for k in ("number", "issued_on", "amount", "scan")},
        ),
        "pay": (
            services.payment_record,
            {k: data.get(k) for k in ("reference", "paid_on", "amount")},
        ),
        "terms": (
            services.contract_payment_days_set,
            {
                "days": data.get("payment_days"),
                "daily_interest_rate": (data["daily_interest_percent"] / 100)
                if data.get("daily_interest_percent") is not None
                else None,
            },
        ),
    }
    service, kwargs = calls[action]
    return _run(request, form, service, contract=contract, actor=user, **kwargs)


@login_required
def contract_detail(request, pk: int):
    contract = _contract_or_404(request, pk)
    forms = {name: cls(prefix=name) for name, cls in CONTRACT_FORMS.items()}
    forms["freight"] = FreightForm(prefix="freight", initial={"freight": contract.freight})
    forms["terms"] = TermsForm(
        prefix="terms",
        initial={
            "payment_days": contract.payment_days,
            "daily_interest_percent": contract.daily_interest_rate * 100,
        },
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in CONTRACT_FORMS and action != "confirm":
            raise Http404
        form = None
        if action in CONTRACT_FORMS:
            form = CONTRACT_FORMS[action](request.POST, request.FILES, prefix=action)
            forms[action] = form
        if form is None or form.is_valid():
            if _contract_action(request, contract, action, form) is not None:
                messages.success(request, _("已保存。"))
                return redirect("procurement:contract-detail", pk=contract.pk)
        if form is not None and form.non_field_errors():
            for error in form.non_field_errors():
                messages.error(request, error)
        contract = _contract_or_404(request, pk)
    is_producer = producers_managed_by(user=request.user).filter(pk=contract.producer_id).exists()
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
            "paid_total": contract_paid_total(contract=contract),
            "invoiced_total": contract_invoiced_total(contract=contract),
            "overdue": contract_is_overdue(contract=contract, on=today),
            "late_interest": contract_late_interest(contract=contract, on=today),
            "is_producer": is_producer,
            "roles": membership_roles(user=request.user, organisation=contract.organisation),
            "forms": forms,
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
            "lines": contract.lines.select_related("product").order_by("pk"),
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
    formset = AcceptanceLineFormSet(request.POST or None, initial=initial, prefix="lines")
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
    return render(
        request,
        "procurement/contract_accept.html",
        {
            "contract": contract,
            "unit": contract.organisation,
            "rows": list(zip(lines, formset.forms, strict=True)),
            "formset": formset,
            "form": form,
        },
    )


@login_required
def invoice_scan(request, pk: int, invoice_pk: int):
    contract = _contract_or_404(request, pk)
    invoice = get_object_or_404(contract.invoices, pk=invoice_pk)
    return FileResponse(invoice.scan.open("rb"), as_attachment=False)


# --- producer price breaks ------------------------------------------------------------------


@login_required
def price_breaks(request):
    records = price_breaks_of_producer_user(user=request.user)
    form = PriceBreakForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            price_break = get_object_or_404(
                PriceBreak.objects.filter(stockrecord__in=records),
                pk=request.POST.get("price_break"),
            )
            _run(
                request,
                None,
                services.price_break_remove,
                price_break=price_break,
                actor=request.user,
            )
            return redirect("procurement:price-breaks")
        if form.is_valid():
            stockrecord = get_object_or_404(records, pk=form.cleaned_data["stockrecord"])
            if _run(
                request,
                form,
                services.price_break_set,
                stockrecord=stockrecord,
                actor=request.user,
                min_quantity=form.cleaned_data["min_quantity"],
                unit_price=form.cleaned_data["unit_price"],
            ):
                messages.success(request, _("阶梯价已保存。"))
                return redirect("procurement:price-breaks")
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, error)
    return render(
        request,
        "procurement/price_breaks.html",
        {"page": Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))},
    )


# --- off-platform purchases and helped sales ------------------------------------------------


def _can_record(user, unit) -> bool:
    """Purchasers and admins of the unit itself record; supervisors only read."""
    return bool(membership_roles(user=user, organisation=unit) & {Role.PURCHASER, Role.ADMIN})


def _off_platform_save(request, unit, form, corrects=None):
    data = form.cleaned_data
    return _run(
        request,
        form,
        services.off_platform_purchase_record,
        organisation=unit,
        actor=request.user,
        channel=data["channel"],
        supplier_name=data["supplier_name"],
        origin_county=data["county"],
        amount=data["amount"],
        purchased_on=data["purchased_on"],
        category=data["category"],
        evidence=data["evidence"],
        corrects=corrects,
        correction_reason=data.get("correction_reason", ""),
    )


@login_required
def off_platform_list(request, unit_pk: int):
    unit = _unit(request, unit_pk)
    form = OffPlatformForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if _off_platform_save(request, unit, form):
            messages.success(request, _("平台外采购已登记，待平台核实后计入完成额。"))
            return redirect("procurement:off-platform", unit_pk=unit.pk)
    records = (
        unit.off_platform_purchases.select_related("origin_county", "corrects", "verified_by")
        .annotate(live_corrections=Count("corrections", filter=~Q(corrections__status="rejected")))
        .order_by("-purchased_on", "-pk")
    )
    return render(
        request,
        "procurement/off_platform.html",
        {
            "unit": unit,
            "form": form,
            "can_record": _can_record(request.user, unit),
            "page": Paginator(records, PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )


@login_required
def off_platform_correct(request, pk: int):
    original = get_object_or_404(
        OffPlatformPurchase.objects.filter(
            organisation__in=organisations_visible_to(user=request.user)
        ).select_related("organisation", "origin_county"),
        pk=pk,
    )
    unit = original.organisation
    initial = {
        "channel": original.channel,
        "supplier_name": original.supplier_name,
        "category": original.category,
        "amount": original.amount,
        "purchased_on": original.purchased_on,
    } | OffPlatformForm.region_initial(original.origin_county)
    form = OffPlatformForm(
        request.POST or None, request.FILES or None, correcting=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        if _off_platform_save(request, unit, form, corrects=original):
            messages.success(request, _("更正记录已登记，待平台核实。原记录保留不变。"))
            return redirect("procurement:off-platform", unit_pk=unit.pk)
    return render(
        request,
        "procurement/off_platform_correct.html",
        {"unit": unit, "original": original, "form": form},
    )


@login_required
def off_platform_evidence(request, pk: int):
    visible = OffPlatformPurchase.objects.filter(
        organisation__in=organisations_visible_to(user=request.user)
    )
    record = get_object_or_404(visible, pk=pk)
    return FileResponse(record.evidence.open("rb"), as_attachment=False)


@staff_only
def review_off_platform(request):
    form = VerifyForm(request.POST or None)
    if request.method == "POST":
        record = get_object_or_404(
            off_platform_awaiting_verification(), pk=request.POST.get("record")
        )
        if form.is_valid():
            if _run(
                request,
                None,
                services.off_platform_purchase_verify,
                record=record,
                actor=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            ):
                messages.success(request, _("核实结果已保存。"))
        else:
            for field_errors in form.errors.values():
                for error in field_errors:
                    messages.error(request, error)
        return redirect("procurement:review-off-platform")
    return render(
        request,
        "procurement/review_off_platform.html",
        {
            "page": Paginator(
                off_platform_awaiting_verification().order_by("created_at"), PAGE_SIZE
            ).get_page(request.GET.get("page")),
            "form": VerifyForm(),
        },
    )


@staff_only
def review_evidence(request, pk: int):
    record = get_object_or_404(OffPlatformPurchase, pk=pk)
    return FileResponse(record.evidence.open("rb"), as_attachment=False)


@login_required
def helped_sales(request, unit_pk: int):
    unit = _unit(request, unit_pk)
    if unit.kind != BuyerOrganisation.Kind.SOE:
        raise Http404
    form = HelpedSaleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            services.helped_sale_record,
            organisation=unit,
            actor=request.user,
            **form.cleaned_data,
        ):
            messages.success(request, _("帮助销售记录已登记。"))
            return redirect("procurement:helped-sales", unit_pk=unit.pk)
    return render(
        request,
        "procurement/helped_sales.html",
        {
            "unit": unit,
            "form": form,
            "can_record": _can_record(request.user, unit),
            "page": Paginator(
                unit.helped_sales.select_related("producer__partner"), PAGE_SIZE
            ).get_page(request.GET.get("page")),
        },
    )


@staff_only
def review_progress(request):
    year = _year(request)
    page = Paginator(units_progress_overview(year=year), 50).get_page(request.GET.get("page"))
    for unit in page:
        unit.percent = (
            (unit.counted * 100 / unit.target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if unit.target
            else None
        )
    return render(request, "procurement/review_progress.html", {"year": year, "page": page})
