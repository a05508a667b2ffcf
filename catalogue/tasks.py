"""Catalogue's task-queue jobs: thin wrappers around services."""

from celery import shared_task


@shared_task(name="catalogue.run_import")
def catalogue_run_import(job_id: int) -> str:
    """Import an uploaded catalogue file off the request path
    (``catalogue.import_jobs.catalogue_import_run``); returns the job's status."""
    from catalogue.import_jobs import catalogue_import_run

    job = catalogue_import_run(job_id=job_id)
    return "" if job is None else job.status


@shared_task(name="catalogue.flush_product_views")
def catalogue_flush_product_views() -> int:
    """Write the product page views counted in Redis to Oscar's ProductRecord
    (``catalogue.product_views.product_views_flush``); returns how many products."""
    from catalogue.product_views import product_views_flush

    return product_views_flush()
