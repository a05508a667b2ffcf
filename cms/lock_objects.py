"""The rows this app locks, named once (Saleor's ``lock_objects.py``)."""

from wagtail.models import Collection, Page

from common.locks import row_lock


def page_lock(*, pk: int) -> Page:
    """A parent page, read afresh, while a child is added under it: two
    approvals adding pages under one index queue instead of taking the same
    tree path."""
    return row_lock(Page.objects.all(), pk=pk)


def collection_lock(*, pk: int) -> Collection:
    """A parent collection, read afresh, while a child is added under it (the
    tree path of the new child is taken from its siblings, as with pages)."""
    return row_lock(Collection.objects.all(), pk=pk)
