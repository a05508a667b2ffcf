"""Oscar's dashboard tables with the selection checkbox no longer sortable:
django-tables2 turned ``?sort=checkbox`` into ``order_by("checkbox")``, a
FieldError (a 500) on a column that is no field."""

from django_tables2 import TemplateColumn
from oscar.apps.dashboard.catalogue import tables


class ProductTable(tables.ProductTable):
    checkbox = TemplateColumn(
        verbose_name="",
        template_name="oscar/dashboard/catalogue/product_row_checkbox.html",
        orderable=False,
    )


class CategoryTable(tables.CategoryTable):
    checkbox = TemplateColumn(
        verbose_name="",
        template_name="oscar/dashboard/catalogue/category_row_checkbox.html",
        orderable=False,
    )
