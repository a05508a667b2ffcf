"""Programme staff's price watch (价格监测): reference market prices entered
or imported, and the listings priced above them by more than the configured
margin (catalogue.rules.price_watch_threshold; read by
catalogue.selectors.flagged_listings)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue import services
from catalogue.exceptions import ReferencePriceError, ReferencePriceImportRejected
from catalogue.forms import ReferencePriceForm, StaffTableUploadForm
from catalogue.price_importer import COLUMNS as IMPORT_COLUMNS
from catalogue.price_importer import ReferencePriceImporter
from catalogue.selectors import flagged_listings, with_reference_prices
from common.roles import require_platform_staff

ReferencePrice = get_model("catalogue", "ReferencePrice")
PAGE_SIZE = 50


@login_required
def price_watch(request):
    require_platform_staff(request.user)
    form = ReferencePriceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reference_price_record(actor=request.user, data=form.data_checked)
        except ReferencePriceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("参考市场价已登记。"))
            return redirect("catalogue:price-watch")
    page = Paginator(flagged_listings(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/price_watch/index.html",
        {
            "page": page,
            "flagged": with_reference_prices(page.object_list),
            "references": ReferencePrice.objects.select_related("category", "region")[:PAGE_SIZE],
            "form": form,
            "margin": settings.PRICE_WATCH_MARGIN,
        },
    )


@login_required
def price_watch_import(request):
    require_platform_staff(request.user)
    form = StaffTableUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            imported = ReferencePriceImporter(actor=request.user).import_file(
                form.cleaned_data["file"]
            )
        except ReferencePriceImportRejected as rejected:
            errors = rejected.errors
            messages.error(request, str(rejected))
        else:
            messages.success(
                request, _("已导入 %(count)d 条参考市场价。") % {"count": len(imported)}
            )
            return redirect("catalogue:price-watch")
    return render(
        request,
        "catalogue/price_watch/import.html",
        {"form": form, "errors": errors, "import_columns": IMPORT_COLUMNS},
    )
