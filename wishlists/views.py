from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from oscar.apps.wishlists import views
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
WishList = get_model("wishlists", "WishList")


class WishListView(views.WishListView):
    """A shared wish list shows only listings visible to the public: one
    added while live may since have gone back to review or been withdrawn."""

    def dispatch(self, request, *args, **kwargs):
        # Oscar pastes LOGIN_URL into the redirect as a path, but ours is a URL
        # name: the browser was sent to "customer:login?next=…" (a 400).
        if not request.user.is_authenticated and self.get_object().visibility == WishList.SHARED:
            messages.info(request, _("You must be logged in to view the wish list"))
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # Oscar's context pages through every line; ours through the visible ones.
        ctx = super(views.WishListView, self).get_context_data(**kwargs)
        lines = self.object.lines.filter(product__in=Product.objects.visible_to_public())
        paginator = Paginator(lines, settings.OSCAR_PRODUCTS_PER_PAGE)
        ctx["wishlist_title"] = str(self.object)
        ctx["page_obj"] = paginator.get_page(self.request.GET.get("page"))
        ctx["paginator"] = paginator
        return ctx
