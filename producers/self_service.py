"""The producer's own workspace (卖家工作台): listings, price and stock,
certificates and the orders it must ship.

Every view looks the producer up among the user's own producers, and every
object among that producer's own: another producer's id is a 404, never a
permission leak or a change.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue import services as catalogue_services
from catalogue.exceptions import ListingError
from catalogue.models import ReviewStatus
from producers import catalogue_io, services
from producers.exceptions import CatalogueImportRejected, ProducerError
from producers.selectors import (
    benefit_linkage_latest,
    certificates_expiring,
    certificates_of_producer,
    orders_of_producer,
    producers_managed_by,
    products_of_producer,
)
from producers.self_service_forms import (
    CatalogueImportForm,
    CertificateForm,
    ListingForm,
    ShipmentForm,
)
from producers.uploads import document_response

PER_PAGE = 25


def _producer(request, pk):
    return get_object_or_404(producers_managed_by(user=request.user), pk=pk)


def _render(request, template, producer, section, context):
    return render(
        request,
        f"producers/seller/{template}",
        {"producer": producer, "section": section, **context},
    )


@login_required
def seller_home(request, pk: int):
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


@login_required
def seller_products(request, pk: int):
    producer = _producer(request, pk)
    products = products_of_producer(producer=producer)
    status = request.GET.get("status")
    if status in ReviewStatus.values:
        products = products.filter(review_status=status)
    page = Paginator(products, PER_PAGE).get_page(request.GET.get("page"))
    return _render(
        request,
        "products.html",
        producer,
        "products",
        {
            "page_obj": page,
            "products": page.object_list,
            "status": status,
            "statuses": ReviewStatus,
        },
    )


@login_required
def seller_product_create(request, pk: int):
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
            return redirect("producers:seller-products", pk=producer.pk)
    return _render(request, "product_form.html", producer, "products", {"form": form})


@login_required
def seller_product_edit(request, pk: int, product_pk: int):
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
                price=form.cleaned_data["price"],
                num_in_stock=form.cleaned_data["num_in_stock"],
                image=form.cleaned_data.get("image"),
            )
        except ListingError as exc:
            form.add_error(None, str(exc))
        else:
            if was != ReviewStatus.PENDING and product.review_status == ReviewStatus.PENDING:
                messages.info(request, _("商品信息有改动，已重新提交平台审核。"))
            else:
                messages.success(request, _("已保存。"))
            return redirect("producers:seller-products", pk=producer.pk)
    return _render(
        request,
        "product_form.html",
        producer,
        "products",
        {
            "form": form,
            "product": product,
            "decisions": product.review_decisions.select_related("actor")[:10],
        },
    )


@login_required
def seller_certificates(request, pk: int):
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
            return redirect("producers:seller-certificates", pk=producer.pk)
    return _render(
        request,
        "certificate_form.html",
        producer,
        "certificates",
        {"form": form, "certificate": certificate},
    )


@login_required
def seller_certificate_create(request, pk: int):
    return _certificate_form_view(request, _producer(request, pk))


@login_required
def seller_certificate_edit(request, pk: int, certificate_pk: int):
    producer = _producer(request, pk)
    certificate = get_object_or_404(certificates_of_producer(producer=producer), pk=certificate_pk)
    return _certificate_form_view(request, producer, certificate)


@login_required
def seller_certificate_scan(request, pk: int, certificate_pk: int):
    producer = _producer(request, pk)
    certificate = get_object_or_404(certificates_of_producer(producer=producer), pk=certificate_pk)
    return document_response(certificate.scan, name=f"certificate-{certificate.pk}")


@login_required
def seller_orders(request, pk: int):
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
def seller_order_detail(request, pk: int, order_pk: int):
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
def seller_order_ship(request, pk: int, order_pk: int):
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
    return redirect("producers:seller-order-detail", pk=producer.pk, order_pk=order.pk)


IMPORT_ERRORS_SESSION_KEY = "catalogue_import_errors"


@login_required
def seller_catalogue_export(request, pk: int, fmt: str):
    producer = _producer(request, pk)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    exported = catalogue_io.catalogue_export(producer=producer, fmt=fmt)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


@login_required
def seller_catalogue_import(request, pk: int):
    producer = _producer(request, pk)
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    errors = None
    if request.method == "POST" and form.is_valid():
        try:
            result = catalogue_io.catalogue_import(
                producer=producer, actor=request.user, upload=form.cleaned_data["file"]
            )
        except CatalogueImportRejected as rejected:
            errors = rejected.errors
            # Kept for the downloadable report; a file has at most MAX_ROWS rows.
            request.session[IMPORT_ERRORS_SESSION_KEY] = {
                "producer": producer.pk,
                "errors": [[e.row, e.column, e.message] for e in errors],
            }
        else:
            messages.success(
                request,
                _("导入完成：新增 %(created)d 件，更新 %(updated)d 件，未变 %(unchanged)d 件。")
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("producers:seller-products", pk=producer.pk)
    return _render(
        request,
        "catalogue_import.html",
        producer,
        "products",
        {"form": form, "errors": errors, "columns": catalogue_io.COLUMNS},
    )


@login_required
def seller_catalogue_import_report(request, pk: int):
    producer = _producer(request, pk)
    stored = request.session.get(IMPORT_ERRORS_SESSION_KEY)
    if not stored or stored.get("producer") != producer.pk:
        raise Http404
    report = catalogue_io.import_error_report(
        catalogue_io.RowError(row, column, message) for row, column, message in stored["errors"]
    )
    response = HttpResponse(report, content_type=catalogue_io.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="import-errors.xlsx"'
    return response
