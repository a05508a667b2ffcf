"""The producer's own workspace (生产主体工作台): listings, price and stock,
certificates, benefit linkage and the orders it must ship.

Every view looks the producer up among the user's own producers, and every
object among that producer's own: another producer's id is a 404, never a
permission leak or a change.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue import rules
from catalogue import services as catalogue_services
from catalogue.exceptions import CatalogueImportRejected, CatalogueImportRunning, ListingError
from catalogue.import_jobs import catalogue_import_submit
from catalogue.importers import (
    COLUMNS,
    STOCK_FIGURE_COLUMNS,
    XLSX_CONTENT_TYPE,
    CatalogueExporter,
    RowError,
    category_names,
    category_names_export,
    import_error_report,
)
from catalogue.models import CatalogueImportJob, ReviewStatus
from catalogue.rules import catalogue_import_status_shown
from catalogue.selectors import (
    catalogue_import_jobs_visible_to,
    flagged_listings,
    with_reference_prices,
)
from common.roles import is_platform_staff
from common.uploads import document_response
from partner.selectors import stock_figures
from producers import services
from producers.exceptions import ProducerError
from producers.forms import BenefitLinkageForm
from producers.models import BenefitLinkage
from producers.selectors import (
    benefit_linkage_latest,
    benefit_linkages_of,
    certificates_expiring,
    certificates_of_producer,
    orders_of_producer,
    producers_managed_by,
    products_of_producer,
)
from producers.workspace.forms import (
    CatalogueImportForm,
    CertificateForm,
    ListingForm,
    ShipmentForm,
)

PER_PAGE = 25
# The price watch notice lists at most this many listings (staff see them all).
PRICE_FLAGS_SHOWN = 20


def _producer(request, pk):
    return get_object_or_404(producers_managed_by(user=request.user), pk=pk)


def _render(request, template, producer, section, context):
    return render(
        request,
        f"producers/workspace/{template}",
        {"producer": producer, "section": section, **context},
    )


def _linkage_year(request) -> int | None:
    raw = request.POST.get("year") if request.method == "POST" else request.GET.get("year")
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


@login_required
def workspace_index(request):
    producers = producers_managed_by(user=request.user).prefetch_related(
        Prefetch("benefit_linkages", queryset=BenefitLinkage.objects.order_by("-year"))
    )
    return render(request, "producers/workspace/index.html", {"producers": producers})


@login_required
def workspace_linkage_edit(request, pk: int):
    # Looked up among the user's own producers only: anyone else's id is a 404.
    producer = get_object_or_404(producers_managed_by(user=request.user), pk=pk)
    year = _linkage_year(request)
    instance = benefit_linkages_of(producer=producer).filter(year=year).first() if year else None
    form = BenefitLinkageForm(
        request.POST or None,
        instance=instance,
        producer=producer,
        initial={"year": timezone.localdate().year - 1},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.benefit_linkage_record(
                producer=producer,
                actor=request.user,
                year=form.cleaned_data["year"],
                figures=form.figures(),
            )
        except ProducerError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("联农带农数据已保存，待平台核实后公开显示为已核实。"))
            return redirect("producers:workspace-index")
    return render(
        request,
        "producers/workspace/linkage_form.html",
        {"producer": producer, "form": form, "linkage": instance},
    )


@login_required
def workspace_home(request, pk: int):
    producer = _producer(request, pk)
    today = timezone.localdate()
    counts = products_of_producer(producer=producer).aggregate(
        approved=Count("pk", filter=Q(review_status=ReviewStatus.APPROVED)),
        pending=Count("pk", filter=Q(review_status=ReviewStatus.PENDING)),
        rejected=Count("pk", filter=Q(review_status=ReviewStatus.REJECTED)),
    )
    to_ship = (
        orders_of_producer(producer=producer)
        .filter(status=settings.ORDER_STATUS_PAID)
        .exclude(shipments__producer=producer)
        .count()
    )
    days = settings.CERTIFICATE_EXPIRY_WARNING_DAYS
    expiring = certificates_expiring(day=today, within_days=days).filter(producer=producer)
    return _render(
        request,
        "home.html",
        producer,
        "home",
        {
            "counts": counts,
            "to_ship": to_ship,
            "expiring": expiring,
            "warning_days": days,
            "linkage": benefit_linkage_latest(producer=producer),
        },
    )


def _own_stockrecord(product):
    # The listing's one stock record, from the prefetched rows.
    records = list(product.stockrecords.all())
    return records[0] if records else None


@login_required
def workspace_products(request, pk: int):
    producer = _producer(request, pk)
    products = products_of_producer(producer=producer)
    status = request.GET.get("status")
    if status in ReviewStatus.values:
        products = products.filter(review_status=status)
    page = Paginator(products, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(product, _own_stockrecord(product)) for product in page.object_list]
    return _render(
        request,
        "products.html",
        producer,
        "products",
        {
            "page_obj": page,
            "rows": [(product, record, stock_figures(record)) for product, record in rows],
            "status": status,
            "statuses": ReviewStatus,
            "price_flags": with_reference_prices(
                flagged_listings().filter(partner_id=producer.partner_id)[:PRICE_FLAGS_SHOWN]
            ),
            "price_watch_margin": settings.PRICE_WATCH_MARGIN,
        },
    )


@login_required
def workspace_product_create(request, pk: int):
    producer = _producer(request, pk)
    form = ListingForm(request.POST or None, request.FILES or None, producer=producer)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue_services.product_listing_create(
                producer=producer,
                actor=request.user,
                sku=form.cleaned_data["sku"],
                content=form.content(),
                price=form.cleaned_data["price"],
                num_in_stock=form.cleaned_data["num_in_stock"],
                image=form.cleaned_data.get("image"),
            )
        except ListingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("商品已提交，平台审核通过后上架。"))
            return redirect("producers:workspace-products", pk=producer.pk)
    return _render(request, "product_form.html", producer, "products", {"form": form})


@login_required
def workspace_product_edit(request, pk: int, product_pk: int):
    producer = _producer(request, pk)
    product = get_object_or_404(products_of_producer(producer=producer), pk=product_pk)
    form = ListingForm(
        request.POST or None, request.FILES or None, producer=producer, product=product
    )
    if request.method == "POST" and form.is_valid():
        was = product.review_status
        try:
            product = catalogue_services.product_listing_update(
                product=product,
                actor=request.user,
                content=form.content(),
                # A multi-spec listing's price and stock are its variants'.
                price=form.cleaned_data.get("price"),
                num_in_stock=form.cleaned_data.get("num_in_stock"),
                image=form.cleaned_data.get("image"),
            )
        except ListingError as exc:
            form.add_error(None, str(exc))
        else:
            if was != ReviewStatus.PENDING and product.review_status == ReviewStatus.PENDING:
                messages.info(request, _("商品信息有改动，已重新提交平台审核。"))
            else:
                messages.success(request, _("已保存。"))
            return redirect("producers:workspace-products", pk=producer.pk)
    return _render(
        request,
        "product_form.html",
        producer,
        "products",
        {
            "form": form,
            "product": product,
            "stock": stock_figures(product.stockrecords.first()),
            "decisions": product.review_decisions.select_related("actor")[:10],
            "price_flags": with_reference_prices(
                flagged_listings().filter(Q(product=product) | Q(product__parent=product))
            ),
            "price_watch_margin": settings.PRICE_WATCH_MARGIN,
        },
    )


@login_required
def workspace_certificates(request, pk: int):
    producer = _producer(request, pk)
    return _render(
        request,
        "certificates.html",
        producer,
        "certificates",
        {
            "certificates": certificates_of_producer(producer=producer),
            "today": timezone.localdate(),
        },
    )


def _certificate_form_view(request, producer, certificate=None):
    form = CertificateForm(
        request.POST or None, request.FILES or None, producer=producer, instance=certificate
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_save(
                producer=producer,
                actor=request.user,
                details=form.details(),
                product_ids=form.product_ids(),
                scan=form.cleaned_data.get("scan_upload"),
                certificate=certificate,
            )
        except ProducerError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("证书已保存。"))
            return redirect("producers:workspace-certificates", pk=producer.pk)
    return _render(
        request,
        "certificate_form.html",
        producer,
        "certificates",
        {"form": form, "certificate": certificate},
    )


@login_required
def workspace_certificate_create(request, pk: int):
    return _certificate_form_view(request, _producer(request, pk))


@login_required
def workspace_certificate_edit(request, pk: int, certificate_pk: int):
    producer = _producer(request, pk)
    certificate = get_object_or_404(certificates_of_producer(producer=producer), pk=certificate_pk)
    return _certificate_form_view(request, producer, certificate)


@login_required
def workspace_certificate_scan(request, pk: int, certificate_pk: int):
    producer = _producer(request, pk)
    certificate = get_object_or_404(certificates_of_producer(producer=producer), pk=certificate_pk)
    return document_response(request, certificate.scan, name=f"certificate-{certificate.pk}")


@login_required
def workspace_orders(request, pk: int):
    producer = _producer(request, pk)
    page = Paginator(orders_of_producer(producer=producer), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return _render(
        request,
        "orders.html",
        producer,
        "orders",
        {"page_obj": page, "orders": page.object_list, "paid_status": settings.ORDER_STATUS_PAID},
    )


@login_required
def workspace_order_detail(request, pk: int, order_pk: int):
    producer = _producer(request, pk)
    order = get_object_or_404(orders_of_producer(producer=producer), pk=order_pk)
    return _render(
        request,
        "order_detail.html",
        producer,
        "orders",
        {
            "order": order,
            "form": ShipmentForm(),
            "can_ship": order.status == settings.ORDER_STATUS_PAID and not order.producer_shipments,
        },
    )


@login_required
@require_POST
def workspace_order_ship(request, pk: int, order_pk: int):
    producer = _producer(request, pk)
    order = get_object_or_404(orders_of_producer(producer=producer), pk=order_pk)
    form = ShipmentForm(request.POST)
    if not form.is_valid():
        return _render(
            request,
            "order_detail.html",
            producer,
            "orders",
            {"order": order, "form": form, "can_ship": True},
        )
    try:
        services.order_ship_producer_lines(
            producer=producer,
            order_id=order.pk,
            actor=request.user,
            carrier=form.cleaned_data["carrier"],
            tracking_number=form.cleaned_data["tracking_number"],
        )
    except ProducerError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已发货，买家可以看到运单号。"))
    return redirect("producers:workspace-order-detail", pk=producer.pk, order_pk=order.pk)


@login_required
def workspace_catalogue_export(request, pk: int, fmt: str):
    producer = _producer(request, pk)
    if fmt not in CatalogueExporter.formats:
        raise Http404
    exported = CatalogueExporter(producer=producer).export(fmt)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


# The recent imports listed under the upload form.
RECENT_IMPORTS = 5


@login_required
def workspace_catalogue_import(request, pk: int):
    """Upload a catalogue file: its shape is checked here, the rows by the
    import job this queues (``catalogue.import_jobs``); the job's page follows."""
    producer = _producer(request, pk)
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    errors = None
    running = None
    if request.method == "POST" and form.is_valid():
        try:
            job = catalogue_import_submit(
                producer=producer,
                actor=request.user,
                upload=form.cleaned_data["file"],
                overwrite_newer=form.cleaned_data["overwrite_newer"],
            )
        except CatalogueImportRejected as rejected:
            errors = rejected.errors
        except CatalogueImportRunning as exc:
            form.add_error(None, str(exc))
            running = exc.job
        except ListingError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(
                "producers:workspace-catalogue-import-job", pk=producer.pk, job_pk=job.pk
            )
    return _render(
        request,
        "catalogue_import.html",
        producer,
        "products",
        {
            "form": form,
            "errors": errors,
            "running": running,
            "jobs": [
                (job, CatalogueImportJob.Status(catalogue_import_status_shown(job)).label)
                for job in catalogue_import_jobs_visible_to(user=request.user).filter(
                    producer=producer
                )[:RECENT_IMPORTS]
            ],
            "columns": COLUMNS,
            "figure_columns": STOCK_FIGURE_COLUMNS,
            "categories": category_names(),
            "limits": rules.limits(),
        },
    )


def _import_job(request, pk: int, job_pk: int):
    """The job if the user may see it (its producer's users, staff); 404 otherwise."""
    return get_object_or_404(
        catalogue_import_jobs_visible_to(user=request.user), pk=job_pk, producer_id=pk
    )


def _row_errors(job) -> list[RowError]:
    return [RowError(*error) for error in job.errors]


@login_required
def workspace_catalogue_import_job(request, pk: int, job_pk: int):
    """One import: its progress while it runs (catalogue-import.js polls the
    status view), then its result or every row's problem."""
    job = _import_job(request, pk, job_pk)
    status = catalogue_import_status_shown(job)
    return _render(
        request,
        "catalogue_import_job.html",
        job.producer,
        "products",
        {
            "job": job,
            "status": status,
            "status_label": CatalogueImportJob.Status(status).label,
            "running": status in CatalogueImportJob.ACTIVE,
            "errors": _row_errors(job),
            "failure": _import_failure(job, status),
            "is_staff": is_platform_staff(request.user),
        },
    )


def _import_failure(job, status) -> str:
    if status != CatalogueImportJob.Status.FAILED:
        return ""
    failure = job.failure or CatalogueImportJob.Failure.TIMED_OUT
    return str(CatalogueImportJob.Failure(failure).label)


@login_required
def workspace_catalogue_import_status(request, pk: int, job_pk: int):
    """What the job page polls while the import runs."""
    job = _import_job(request, pk, job_pk)
    status = catalogue_import_status_shown(job)
    response = JsonResponse(
        {
            "status": status,
            "status_label": str(CatalogueImportJob.Status(status).label),
            "finished": status not in CatalogueImportJob.ACTIVE,
            "rows_total": job.rows_total,
            "rows_checked": job.rows_checked,
            "rows_applied": job.rows_applied,
        }
    )
    add_never_cache_headers(response)
    return response


@login_required
def workspace_catalogue_categories(request, pk: int, fmt: str):
    """下载类目表: the category names the import accepts."""
    _producer(request, pk)
    if fmt not in CatalogueExporter.formats:
        raise Http404
    exported = category_names_export(fmt)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


@login_required
def workspace_catalogue_import_report(request, pk: int, job_pk: int):
    """A rejected import's problems as XLSX."""
    job = _import_job(request, pk, job_pk)
    if job.status != CatalogueImportJob.Status.REJECTED:
        raise Http404
    report = import_error_report(_row_errors(job))
    response = HttpResponse(report, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.xlsx"'
    return response
