"""Platform staff review new and changed listings (商品审核) before they go live:
origin against the producer's licensed counties, licence, covering certificates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue import rules, services
from catalogue.exceptions import ListingError
from catalogue.forms import ProductReviewForm
from catalogue.models import ProductReviewDecision
from catalogue.selectors import product_variants, products_awaiting_review, variant_spec
from catalogue.workflows import LISTING_WORKFLOW
from common.roles import require_platform_staff

Product = get_model("catalogue", "Product")
REVIEW_ACTIONS = {ProductReviewDecision.Action.APPROVE, ProductReviewDecision.Action.REJECT}


@login_required
def review_queue(request):
    require_platform_staff(request.user)
    page = Paginator(products_awaiting_review(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/review/queue.html",
        {"page_obj": page, "products": page.object_list},
    )


@login_required
def review_detail(request, product_pk: int):
    require_platform_staff(request.user)
    product = get_object_or_404(
        Product.objects.filter(parent__isnull=True, producer__isnull=False).select_related(
            "producer__partner", "producer__county__parent__parent", "origin_county__parent"
        ),
        pk=product_pk,
    )
    form = ProductReviewForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                if form.cleaned_data["action"] == ProductReviewForm.APPROVE:
                    services.product_review_approve(
                        product=product, actor=request.user, note=form.cleaned_data["reason"]
                    )
                else:
                    services.product_review_reject(
                        product=product, actor=request.user, reason=form.cleaned_data["reason"]
                    )
            except ListingError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("审核结果已保存。"))
                return redirect("catalogue:review-queue")
        else:
            messages.error(request, _("请选择审核结论。"))
    producer = product.producer
    available = LISTING_WORKFLOW.available_transitions(product, request.user)
    return render(
        request,
        "catalogue/review/detail.html",
        {
            "product": product,
            "producer": producer,
            "origin_allowed": producer.may_label_origin(product.origin_county),
            "licensed_counties": producer.licensed_counties.all(),
            "certificates": product.certificates.all(),
            "decisions": product.review_decisions.select_related("actor"),
            "stockrecord": product.stockrecords.first(),
            # A multi-spec listing is reviewed with every 规格 it offers.
            "variants": [
                (variant, variant_spec(variant), next(iter(variant.stockrecords.all()), None))
                for variant in (product_variants(parent=product) if product.is_parent else [])
            ],
            "images": product.images.all(),
            "can_decide": bool(REVIEW_ACTIONS & available.keys()),
            "today": timezone.localdate(),
            "form": form,
            "limits": rules.limits(),
            "description_length": len(services.description_to_text(product.description)),
        },
    )
