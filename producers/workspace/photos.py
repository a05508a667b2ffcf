"""A listing's photos in the workspace: upload, remove, move up or down, make
one the main image. Plain forms and buttons, so it works without JavaScript
(the Content-Security-Policy allows no inline script anyway)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue import rules
from catalogue.exceptions import ListingError
from catalogue.models import ReviewStatus
from producers import services
from producers.exceptions import ProducerError
from producers.selectors import products_of_producer
from producers.workspace.forms import PhotoMoveForm, PhotoUploadForm
from producers.workspace.views import _producer, _render


def _own_listing(request, pk: int, product_pk: int):
    producer = _producer(request, pk)
    return producer, get_object_or_404(products_of_producer(producer=producer), pk=product_pk)


def _photos_page(producer, product):
    return redirect("producers:workspace-product-photos", pk=producer.pk, product_pk=product.pk)


@login_required
def workspace_product_photos(request, pk: int, product_pk: int):
    producer, product = _own_listing(request, pk, product_pk)
    form = PhotoUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        was = product.review_status
        try:
            services.listing_photo_add(
                producer=producer,
                product_id=product.pk,
                actor=request.user,
                image=form.cleaned_data["image"],
            )
        except (ListingError, ProducerError) as exc:
            form.add_error("image", str(exc))
        else:
            product.refresh_from_db(fields=["review_status"])
            if was != ReviewStatus.PENDING and product.review_status == ReviewStatus.PENDING:
                messages.info(request, _("图片已添加，商品已重新提交平台审核。"))
            else:
                messages.success(request, _("图片已添加。"))
            return _photos_page(producer, product)
    images = list(product.images.order_by("display_order", "pk"))
    return _render(
        request,
        "photos.html",
        producer,
        "products",
        {
            "product": product,
            "images": images,
            "form": form,
            "limit": rules.MAX_PRODUCT_PHOTOS,
            "full": len(images) >= rules.MAX_PRODUCT_PHOTOS,
        },
    )


@login_required
@require_POST
def workspace_product_photo_move(request, pk: int, product_pk: int, image_pk: int):
    producer, product = _own_listing(request, pk, product_pk)
    image = get_object_or_404(product.images.all(), pk=image_pk)
    form = PhotoMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择上移、下移或设为主图。"))
        return _photos_page(producer, product)
    try:
        services.listing_photo_move(
            producer=producer,
            product_id=product.pk,
            image_id=image.pk,
            actor=request.user,
            direction=form.cleaned_data["direction"],
        )
    except ProducerError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("图片顺序已保存，第一张为主图。"))
    return _photos_page(producer, product)


@login_required
@require_POST
def workspace_product_photo_remove(request, pk: int, product_pk: int, image_pk: int):
    producer, product = _own_listing(request, pk, product_pk)
    image = get_object_or_404(product.images.all(), pk=image_pk)
    try:
        services.listing_photo_remove(
            producer=producer, product_id=product.pk, image_id=image.pk, actor=request.user
        )
    except ProducerError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("图片已删除。"))
    return _photos_page(producer, product)
