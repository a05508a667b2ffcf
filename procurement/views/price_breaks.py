"""Producers' bulk price breaks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from common.http import posted_pk
from procurement import services
from procurement.forms import PriceBreakForm
from procurement.models import PriceBreak
from procurement.selectors import price_breaks_of_producer_user
from procurement.views._common import (
    PAGE_SIZE,
    _run,
)


@login_required
def price_breaks(request):
    records = price_breaks_of_producer_user(user=request.user)
    form = PriceBreakForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            price_break = get_object_or_404(
                PriceBreak.objects.filter(stockrecord__in=records),
                pk=posted_pk(request, "price_break"),
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
