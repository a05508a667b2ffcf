"""A customer's own wish lists hold only listings visible to the public: none
is added while it is not live, and one that has gone back to review or been
withdrawn since it was added drops out of sight (its line is kept, and shows
again once the listing is live)."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from oscar.apps.customer.wishlists import views
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")


def _visible_product_or_404(pk):
    return get_object_or_404(Product.objects.visible_to_public(), pk=pk)


class _PostOnlyMixin:
    """Oscar changes the wish list on GET too (its links); ours post forms. A
    GET is refused before Oscar's dispatch, which creates a first wish list."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


class _VisibleProductMixin:
    def dispatch(self, request, *args, **kwargs):
        # Before Oscar's own lookup: its success message names the product.
        _visible_product_or_404(kwargs["product_pk"])
        return super().dispatch(request, *args, **kwargs)


class WishListAddProduct(_PostOnlyMixin, _VisibleProductMixin, views.WishListAddProduct):
    pass


class WishListCreateView(views.WishListCreateView):
    def dispatch(self, request, *args, **kwargs):
        if "product_pk" in kwargs:
            _visible_product_or_404(kwargs["product_pk"])
        return super().dispatch(request, *args, **kwargs)


class WishListDetailView(views.WishListDetailView):
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # A line whose product was deleted keeps its own title: Oscar shows it
        # as no longer available, and the customer can remove it.
        kwargs["queryset"] = self.object.lines.filter(
            Q(product=None) | Q(product__in=Product.objects.visible_to_public())
        )
        return kwargs


class _VisibleLineMixin(views.LineMixin):
    def fetch_line(self, user, wishlist_key, line_pk=None, product_pk=None):
        super().fetch_line(user, wishlist_key, line_pk, product_pk)
        if self.product is not None and not self.product.is_visible_to_public:
            raise Http404


class WishListRemoveProduct(_VisibleLineMixin, views.WishListRemoveProduct):
    pass


class WishListMoveProductToAnotherWishList(
    _PostOnlyMixin, _VisibleLineMixin, views.WishListMoveProductToAnotherWishList
):
    def post(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
