from django.conf import settings
from django.core.paginator import Paginator
from oscar.apps.wishlists import views
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")


class WishListView(views.WishListView):
    """A shared wish list shows only listings visible to the public: one
    added while live may since have gone back to review or been withdrawn."""

    def get_context_data(self, **kwargs):
        # Oscar's context pages through every line; ours through the visible ones.
        ctx = super(views.WishListView, self).get_context_data(**kwargs)
        lines = self.object.lines.filter(product__in=Product.objects.visible_to_public())
        paginator = Paginator(lines, settings.OSCAR_PRODUCTS_PER_PAGE)
        ctx["wishlist_title"] = str(self.object)
        ctx["page_obj"] = paginator.get_page(self.request.GET.get("page"))
        ctx["paginator"] = paginator
        return ctx
