from urllib.parse import unquote

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from search.forms import BrowseCategoryForm, CategoryForm
from search.views.base import ProductListView

Category = get_model("catalogue", "Category")


class CatalogueView(ProductListView):
    form_class = BrowseCategoryForm
    summary = _("全部商品")


class ProductCategoryView(ProductListView):
    form_class = CategoryForm

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=self.kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            raise Http404
        expected_path = self.category.get_absolute_url()
        if unquote(expected_path) != unquote(request.path):
            return HttpResponsePermanentRedirect(expected_path)
        return super().get(request, *args, **kwargs)

    def get_scope(self):
        return {"category": (str(self.category.pk),)}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        ctx["summary"] = self.category.name
        return ctx
