"""Programme staff's pairings pages (结对帮扶): the registry with each pairing's
purchases from its helped counties over a chosen date range, one pairing's
drill-down by county and by unit, adding, changing and ending a pairing, and
importing pairings from a spreadsheet. The figures are procurement.pairings'."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from catalogue.forms import StaffTableUploadForm
from procurement import services
from procurement.exceptions import PairingImportRejected
from procurement.forms import DateRangeForm, PairingForm
from procurement.importers import COLUMNS as IMPORT_COLUMNS
from procurement.importers import PairingImporter
from procurement.models import Pairing
from procurement.pairings import pairing_purchases, pairing_purchases_breakdown, pairings_listed
from procurement.views._common import _run, staff_only

PAIRINGS_PAGE_SIZE = 50


@staff_only
def pairings(request):
    range_form, date_from, date_to = DateRangeForm.from_query(request.GET)
    page = Paginator(pairings_listed(), PAIRINGS_PAGE_SIZE).get_page(request.GET.get("page"))
    figures = pairing_purchases(pairings=page.object_list, date_from=date_from, date_to=date_to)
    for pairing in page:
        pairing.figures = figures[pairing.pk]
    return render(
        request,
        "procurement/pairings.html",
        {
            "page": page,
            "range_form": range_form,
            "date_from": date_from,
            "date_to": date_to,
            "upload_form": StaffTableUploadForm(),
            "import_columns": IMPORT_COLUMNS,
        },
    )


@staff_only
def pairing_detail(request, pk: int):
    pairing = get_object_or_404(pairings_listed(), pk=pk)
    range_form, date_from, date_to = DateRangeForm.from_query(request.GET)
    return render(
        request,
        "procurement/pairing_detail.html",
        {
            "pairing": pairing,
            "breakdown": pairing_purchases_breakdown(
                pairing=pairing, date_from=date_from, date_to=date_to
            ),
            "range_form": range_form,
        },
    )


def _pairing_form_page(request, pairing: Pairing | None):
    initial = PairingForm.initial_for(pairing) if pairing else None
    form = PairingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _run(
            request,
            form,
            services.pairing_save,
            actor=request.user,
            data=form.data_checked,
            pairing=pairing,
        )
        if saved is not None:
            messages.success(request, _("已保存结对关系“%(name)s”。") % {"name": saved.name})
            return redirect("procurement:pairing-detail", pk=saved.pk)
    return render(request, "procurement/pairing_form.html", {"form": form, "pairing": pairing})


@staff_only
def pairing_new(request):
    return _pairing_form_page(request, None)


@staff_only
def pairing_edit(request, pk: int):
    return _pairing_form_page(request, get_object_or_404(Pairing, pk=pk))


@staff_only
def pairing_end(request, pk: int):
    pairing = get_object_or_404(Pairing, pk=pk)
    if request.method == "POST":
        ended = _run(request, None, services.pairing_end, actor=request.user, pairing=pairing)
        if ended is not None:
            messages.success(
                request,
                _("结对关系“%(name)s”已于 %(date)s 结束。")
                % {"name": ended.name, "date": ended.ends_on.isoformat()},
            )
    return redirect("procurement:pairing-detail", pk=pairing.pk)


@staff_only
def pairing_import(request):
    form = StaffTableUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            imported = PairingImporter(actor=request.user).import_file(form.cleaned_data["file"])
        except PairingImportRejected as rejected:
            errors = rejected.errors
            messages.error(request, str(rejected))
        else:
            messages.success(request, _("已导入 %(count)d 个结对关系。") % {"count": len(imported)})
            return redirect("procurement:pairings")
    return render(
        request,
        "procurement/pairing_import.html",
        {"form": form, "errors": errors, "import_columns": IMPORT_COLUMNS},
    )
