from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from oscar.apps.catalogue.reviews import views
from oscar.core.loading import get_model

from catalogue.rules import REVIEW_NOT_PERMITTED_HINT, product_reviewable_by
from catalogue.selectors import product_is_visible_to

Product = get_model("catalogue", "Product")
ProductReview = get_model("reviews", "ProductReview")


def _product_for_reading(*, pk, user):
    """The product whose reviews are read: its page's rule, so staff and the
    producer's users may preview them; a 404 for everyone else."""
    product = get_object_or_404(Product, pk=pk)
    if not product_is_visible_to(product=product, user=user):
        raise Http404
    return product


def _product_for_acting(*, pk):
    # Writing or voting on reviews is for live listings only, whoever asks.
    return get_object_or_404(Product.objects.visible_to_public(), pk=pk)


class CreateProductReview(views.CreateProductReview):
    def dispatch(self, request, *args, **kwargs):
        # Oscar checks only is_public here, then redirects to the product's
        # URL, whose slug is the title.
        product = _product_for_acting(pk=kwargs["product_pk"])
        # Oscar's refusal says only "you can't"; a shopper who has not received
        # it (catalogue.rules) is told why.
        if not product_reviewable_by(product=product, user=request.user):
            messages.warning(request, str(REVIEW_NOT_PERMITTED_HINT))
            return redirect(product.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)


class ProductReviewDetail(views.ProductReviewDetail):
    def get_queryset(self):
        # Only a review of this product: another product's review must not be
        # reachable through a live product's URL.
        return ProductReview.objects.filter(product=self.product)

    def get(self, request, *args, **kwargs):
        self.product = _product_for_reading(pk=kwargs["product_pk"], user=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # Oscar's own context loads the product again by is_public only.
        context = super(views.ProductReviewDetail, self).get_context_data(**kwargs)
        context["product"] = self.product
        return context


class AddVoteView(views.AddVoteView):
    def post(self, request, *args, **kwargs):
        _product_for_acting(pk=kwargs["product_pk"])
        return super().post(request, *args, **kwargs)


class ProductReviewList(views.ProductReviewList):
    def get(self, request, *args, **kwargs):
        self.product = _product_for_reading(pk=kwargs["product_pk"], user=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super(views.ProductReviewList, self).get_context_data(**kwargs)
        context["product"] = self.product
        context["form"] = self.form
        return context
