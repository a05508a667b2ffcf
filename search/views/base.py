from django.conf import settings
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

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
        query = form.to_query(per_page=self.per_page, scope=self.get_scope())
        results, products = product_search(query=query)
        capped = min(results.total, MAX_PAGE * self.per_page)
        # A range stands in for results the backend holds; it slices for free.
        paginator = Paginator(range(capped), self.per_page)
        page_obj = paginator.get_page(results.page)
        ctx.update(
            form=form,
            query=query.text,
            products=products,
            results=results,
            total=results.total,
            paginator=paginator,
            page_obj=page_obj,
            facets=self._facet_context(results),
            active_filters=[
                (name, option)
                for name, options in results.facets.items()
                for option in options
                if option.selected
            ],
            summary=self.summary,
            relaxed_notice=_relaxed_notice(results.relaxed_terms),
        )
        return ctx

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
