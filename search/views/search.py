from django.utils.translation import gettext_lazy as _
from oscar.apps.search.signals import user_search

from search.demand import zero_result_record
from search.pages import page_search
from search.views.base import ProductListView


class FacetedSearchView(ProductListView):
    def dispatch(self, request, *args, **kwargs):
        user_search.send(
            sender=self,
            session=request.session,
            user=request.user,
            query=request.GET.get("q", ""),
        )
        return super().dispatch(request, *args, **kwargs)

    def listing_context(self, *, form) -> dict:
        ctx = super().listing_context(form=form)
        # Stories and county pavilions matching the words, above the products
        # (on the first page only: they do not page with the products).
        if ctx["query"] and ctx["page_obj"].number == 1:
            ctx["content_pages"] = page_search(text=ctx["query"])
        return ctx

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        listing = ctx["listing"]
        if (
            ctx["query"]
            and listing["page"] == 1
            and not listing["total"]
            and not listing["filtered"]
        ):
            # A demand signal (search.demand): anonymous, text and count only,
            # counted on every such search, the cached ones too.
            zero_result_record(text=ctx["query"])
        ctx["summary"] = _("“%(q)s”的搜索结果") % {"q": ctx["query"]} if ctx["query"] else _("搜索")
        return ctx
