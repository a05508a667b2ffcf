"""Multi-spec listings (多规格商品) in the workspace: a listing whose 规格 (250g,
500g, 礼盒装 …) each have their own code, price and stock (Oscar's parent and
child products; the listing services in ``catalogue.services`` write them)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from catalogue import rules
from catalogue import services as catalogue_services
from catalogue.exceptions import ListingError, ListingRuleBroken
from catalogue.models import ReviewStatus
from catalogue.selectors import product_variants, variant_spec
from partner.selectors import stock_figures
from producers.selectors import products_of_producer
from producers.workspace.forms import ListingForm, VariantForm
from producers.workspace.views import _producer, _render


def _own_parent(request, pk: int, product_pk: int):
    producer = _producer(request, pk)
    product = get_object_or_404(
        products_of_producer(producer=producer).filter(structure="parent"), pk=product_pk
    )
    return producer, product


def _variants_page(producer, product):
    return redirect("producers:workspace-product-variants", pk=producer.pk, product_pk=product.pk)


def _error_field(form, exc):
    """A broken rule on the form field it is about; anything else on the form."""
    field = getattr(exc, "field", None) if isinstance(exc, ListingRuleBroken) else None
    field = "spec" if field == f"attr_{rules.VARIANT_ATTRIBUTE}" else field
    return field if field in form.fields else None


def _resubmitted_message(request, was, product, done):
    product.refresh_from_db(fields=["review_status"])
    if was != ReviewStatus.PENDING and product.review_status == ReviewStatus.PENDING:
        messages.info(request, _("规格有改动，商品已重新提交平台审核。"))
    else:
        messages.success(request, done)


@login_required
def workspace_multi_spec_create(request, pk: int):
    producer = _producer(request, pk)
    form = ListingForm(
        request.POST or None, request.FILES or None, producer=producer, multi_spec=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            product = catalogue_services.product_multi_spec_listing_create(
                producer=producer,
                actor=request.user,
                content=form.content(),
                variants=[form.first_variant()],
                image=form.cleaned_data.get("image"),
            )
        except ListingError as exc:
            field = getattr(exc, "field", None)
            field = "variant_spec" if field == f"attr_{rules.VARIANT_ATTRIBUTE}" else field
            form.add_error(field if field in form.fields else None, str(exc))
        else:
            messages.success(request, _("多规格商品已提交，可以继续添加规格；平台审核通过后上架。"))
            return _variants_page(producer, product)
    return _render(
        request, "product_form.html", producer, "products", {"form": form, "multi_spec": True}
    )


def _variant_rows(product):
    rows = []
    for variant in product_variants(parent=product):
        records = list(variant.stockrecords.all())
        record = records[0] if records else None
        rows.append((variant, variant_spec(variant), record, stock_figures(record)))
    return rows


@login_required
def workspace_product_variants(request, pk: int, product_pk: int):
    producer, product = _own_parent(request, pk, product_pk)
    form = VariantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        was = product.review_status
        try:
            catalogue_services.product_variant_add(
                parent=product, actor=request.user, variant=form.details()
            )
        except ListingError as exc:
            form.add_error(_error_field(form, exc), str(exc))
        else:
            _resubmitted_message(request, was, product, _("规格已添加。"))
            return _variants_page(producer, product)
    return _render(
        request,
        "variants.html",
        producer,
        "products",
        {
            "product": product,
            "rows": _variant_rows(product),
            "form": form,
            "limit": rules.MAX_PRODUCT_VARIANTS,
        },
    )


@login_required
def workspace_product_variant_edit(request, pk: int, product_pk: int, variant_pk: int):
    producer, product = _own_parent(request, pk, product_pk)
    variant = get_object_or_404(product_variants(parent=product), pk=variant_pk)
    form = VariantForm(request.POST or None, variant=variant)
    if request.method == "POST" and form.is_valid():
        was = product.review_status
        data = form.cleaned_data
        try:
            catalogue_services.product_variant_update(
                variant=variant,
                actor=request.user,
                spec=data["spec"],
                price=data["price"],
                num_in_stock=data["num_in_stock"],
                is_public=data["is_public"],
            )
        except ListingError as exc:
            form.add_error(_error_field(form, exc), str(exc))
        else:
            _resubmitted_message(request, was, product, _("已保存。"))
            return _variants_page(producer, product)
    records = list(variant.stockrecords.all())
    return _render(
        request,
        "variant_form.html",
        producer,
        "products",
        {
            "product": product,
            "variant": variant,
            "spec": variant_spec(variant),
            "form": form,
            "stock": stock_figures(records[0] if records else None),
        },
    )
