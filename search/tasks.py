"""Task-queue jobs of search: thin wrappers around its indexing services."""

from celery import shared_task
from django.utils import timezone

from catalogue.cache import catalogue_version_bump
from search.indexing import products_reindex_certificate_changes
from search.outbox import outbox_apply


@shared_task(name="search.refresh_certificates")
def search_refresh_certificates() -> int:
    """Daily, just after midnight (CELERY_BEAT_SCHEDULE), like
    `manage.py search_refresh_certificates`: re-indexes the products whose
    certificates started or lapsed today; returns how many."""
    count = products_reindex_certificate_changes(day=timezone.localdate())
    catalogue_version_bump()  # listings' certificate filter and product pages follow
    return count


@shared_task(name="search.apply_outbox")
def search_apply_outbox() -> dict:
    """Applies the index work waiting in the outbox (search.outbox): queued
    after every commit that wrote some, and every minute (CELERY_BEAT_SCHEDULE)
    for rows a failure or an outage left behind."""
    return outbox_apply()
