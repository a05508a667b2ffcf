from django.db import transaction
from oscar.apps.dashboard.catalogue.views import (
    CategoryUpdateView as OscarCategoryUpdateView,
)
from oscar.apps.dashboard.catalogue.views import (
    ProductCreateUpdateView as OscarProductCreateUpdateView,
)

from catalogue.services import product_staff_edit_record
from catalogue.thumbnails import product_image_thumbnails_schedule


class ProductCreateUpdateView(OscarProductCreateUpdateView):
    """Oscar's product editor; an edit of what a listing claims is accounted
    for by the listing services, in the same transaction as the edit."""

    def forms_valid(self, form, formsets):
        with transaction.atomic():
            response = self._save(form, formsets)
            for image_form in formsets["image_formset"]:
                if "original" in image_form.changed_data and image_form.instance.pk:
                    product_image_thumbnails_schedule(image_form.instance)
        return response

    def _save(self, form, formsets):
        if self.creating:
            return super().forms_valid(form, formsets)
        changed = form.changed_claims()
        if formsets["category_formset"].has_changed():
            changed.append("category")
        if formsets["image_formset"].has_changed():
            changed.append("images")
        response = super().forms_valid(form, formsets)
        product_staff_edit_record(product=self.object, actor=self.request.user, changed=changed)
        return response


class CategoryUpdateView(OscarCategoryUpdateView):
    """Oscar's category editor. A refused form has already written its values
    onto the category; the page links to the category's public URL, which an
    empty slug cannot make (a 500), so the page shows the stored category."""

    def form_invalid(self, form):
        self.object.refresh_from_db()
        return super().form_invalid(form)
