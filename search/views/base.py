from django.conf import settings
from django.views.generic import ListView

from search.forms import SearchForm
from search.selectors import products_search


class ProductListView(ListView):
    """A product listing on the database, with search text and sort order."""

    form_class = SearchForm
    context_object_name = "products"
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE
    template_name = "search/product_list.html"
    summary = ""

    def get_form(self):
        return self.form_class(self.request.GET)

    def get_categories(self):
        return None

    def get_queryset(self):
        self.form = self.get_form()
        return products_search(
            query=self.form.cleaned_query(),
            categories=self.get_categories(),
            sort=self.form.cleaned_sort(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = self.form
        ctx["query"] = self.form.cleaned_query()
        ctx["summary"] = self.summary
        return ctx
