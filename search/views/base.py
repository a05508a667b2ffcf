from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.template.context_processors import csrf
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from catalogue.cache import (
    html_for_cache,
    html_for_request,
    storefront_cache_key,
    storefront_cache_seconds,
)
from search.backends.base import FACETS, MAX_PAGE
from search.forms import SearchForm
from search.selectors import product_search


class ProductListView(TemplateView):
    """A product listing through the configured search backend, with facets."""

    form_class = SearchForm
    per_page = settings.OSCAR_PRODUCTS_PER_PAGE
    template_name = "search/product_list.html"
    summary = ""

    def get_scope(self) -> dict:
        return {}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = self.form_class(self.request.GET)
        query = (form.cleaned_data.get("q") or "").strip() if form.is_valid() else ""
        token = csrf(self.request)["csrf_token"]
        listing = self.listing_blocks(form=form, csrf_token=token)
        ctx.update(
            form=form,
            query=query,
            listing=listing,
            # Rendered by our templates, escaped there.
            listing_facets=mark_safe(html_for_request(listing["facets_html"], csrf_token=token)),
            listing_results=mark_safe(html_for_request(listing["results_html"], csrf_token=token)),
            summary=self.summary,
        )
        return ctx

    def listing_cache_parts(self) -> tuple:
        """What the rendered listing varies by, besides the catalogue version and
        the language: the page (its path names the category) and every GET
        parameter (the query, filters, sort and page number, and the links
        built from them), and the search backend."""
        params = tuple(sorted((k, tuple(v)) for k, v in self.request.GET.lists()))
        backend = "elasticsearch" if settings.ELASTICSEARCH_URL else "database"
        return (type(self).__name__, self.request.path, params, backend)

    def listing_blocks(self, *, form, csrf_token) -> dict:
        """The listing's result block and its facet column, rendered, with the
        figures the view acts on (total, filters): from the cache when this
        listing was rendered since the catalogue last changed, so that a hit
        loads no product and runs no search."""
        key = storefront_cache_key("listing", *self.listing_cache_parts())
        blocks = cache.get(key)
        if blocks is None:
            ctx = self.listing_context(form=form)
            ctx["csrf_token"] = csrf_token

            def render(template_name: str) -> str:
                html = render_to_string(template_name, ctx, request=self.request)
                return html_for_cache(html, csrf_token=csrf_token)

            blocks = {
                "facets_html": render("search/partials/listing_facets.html"),
                "results_html": render("search/partials/listing_results.html"),
                "total": ctx["total"],
                "filtered": bool(ctx["active_filters"]),
                "page": ctx["page_obj"].number,
            }
            cache.set(key, blocks, storefront_cache_seconds())
        return blocks

    def listing_context(self, *, form) -> dict:
        """Everything the listing's blocks show: the search, its products and facets."""
        query = form.to_query(per_page=self.per_page, scope=self.get_scope())
        results, products = product_search(query=query)
        capped = min(results.total, MAX_PAGE * self.per_page)
        # A range stands in for results the backend holds; it slices for free.
        paginator = Paginator(range(capped), self.per_page)
        page_obj = paginator.get_page(results.page)
        return {
            "form": form,
            "query": query.text,
            "products": products,
            "results": results,
            "total": results.total,
            "paginator": paginator,
            "page_obj": page_obj,
            "facets": self._facet_context(results),
            "active_filters": [
                (name, option)
                for name, options in results.facets.items()
                for option in options
                if option.selected
            ],
            "relaxed_notice": _relaxed_notice(results.relaxed_terms),
        }

    def _facet_context(self, results):
        params = self.request.GET
        facets = []
        for name, label in FACETS:
            options = results.facets.get(name) or []
            for option in options:
                values = params.getlist(name)
                if option.selected:
                    values = [v for v in values if v != option.value]
                else:
                    values = [*values, option.value]
                option.url = _with(params, name, values)
            if options:
                facets.append({"name": name, "label": label, "options": options})
        return facets


def _relaxed_notice(terms: list[str]) -> str:
    if not terms:
        return ""
    quoted = "".join(f"“{t}”" for t in terms)
    return _("没有同时包含%(terms)s的结果，显示部分匹配") % {"terms": quoted}


def _with(params, name, values) -> str:
    query = params.copy()
    query.setlist(name, values)
    query.pop("page", None)
    return "?" + query.urlencode()
