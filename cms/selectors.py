from oscar.core.loading import get_model

from catalogue.selectors import products_for_listing

Category = get_model("catalogue", "Category")


def homepage_featured_products(*, page) -> list:
    """Featured products in the editor's order, skipping any no longer browsable."""
    ids = list(page.featured_products.order_by("sort_order").values_list("product_id", flat=True))
    by_id = {p.pk: p for p in products_for_listing().filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]
