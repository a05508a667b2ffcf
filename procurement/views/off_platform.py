"""Off-platform purchases and SOEs' helped sales, as the unit records them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from common.uploads import document_response
from procurement import services
from procurement.forms import (
    HelpedSaleForm,
    OffPlatformForm,
)
from procurement.models import (
    BuyerOrganisation,
    HelpedSale,
    OffPlatformPurchase,
)
from procurement.selectors import (
    membership_roles,
    organisations_visible_to,
)
from procurement.views._common import (
    PAGE_SIZE,
    Role,
    _run,
    _unit,
)


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
    return document_response(request, record.evidence, name=f"off-platform-{record.pk}")


@login_required
def helped_sale_evidence(request, pk: int):
    visible = HelpedSale.objects.filter(
        organisation__in=organisations_visible_to(user=request.user)
    )
    sale = get_object_or_404(visible, pk=pk)
    return document_response(request, sale.evidence, name=f"helped-sale-{sale.pk}")


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
