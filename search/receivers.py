"""Signals that change what a product's search document says."""

from catalogue.cache import catalogue_version_bump
from search.indexing import products_schedule_reindex


def _changed(*, product_ids, deleted: bool = False) -> None:
    """What search shows of these products changed, and so may what every
    cached storefront block shows: re-index them and bump the catalogue version."""
    products_schedule_reindex(product_ids=product_ids, deleted=deleted)
    catalogue_version_bump()


def product_saved(sender, instance, **kwargs):
    ids = [instance.pk]
    if instance.parent_id:
        ids.append(instance.parent_id)
    _changed(product_ids=ids)


def product_deleted(sender, instance, **kwargs):
    _changed(product_ids=[instance.pk], deleted=True)


def product_row_changed(sender, instance, **kwargs):
    """A stock record or a category link of a product changed."""
    _changed(product_ids=[instance.product_id])


def producer_saved(sender, instance, **kwargs):
    _changed(product_ids=instance.products.values_list("pk", flat=True))


def partner_saved(sender, instance, **kwargs):
    producer = getattr(instance, "producer", None) if instance.pk else None
    if producer is not None:
        producer_saved(sender, producer)


def region_saved(sender, instance, **kwargs):
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    _changed(
        product_ids=Product.objects.filter(origin_county=instance).values_list("pk", flat=True)
    )


def certificate_changed(sender, instance, **kwargs):
    if instance.pk:
        _changed(product_ids=instance.products.values_list("pk", flat=True))


def certificate_products_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # product.certificates changed
        _changed(product_ids=[instance.pk])
    else:
        _changed(
            product_ids=(pk_set or set()) | set(instance.products.values_list("pk", flat=True))
        )


def product_categories_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:
        _changed(product_ids=pk_set or [])
    else:
        _changed(product_ids=[instance.pk])


def order_placed(sender, order, **kwargs):
    _changed(product_ids=order.lines.values_list("product_id", flat=True))


def page_published(sender, instance, **kwargs):
    from search.pages import page_is_searchable, pages_schedule_reindex

    if page_is_searchable(instance):
        pages_schedule_reindex(page_ids=[instance.pk])


def page_unpublished(sender, instance, **kwargs):
    from search.pages import page_is_searchable, pages_schedule_reindex

    if page_is_searchable(instance):
        pages_schedule_reindex(page_ids=[instance.pk], deleted=True)
