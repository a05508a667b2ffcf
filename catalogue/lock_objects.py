"""The rows this app locks, named once (Saleor's ``lock_objects.py``)."""

from collections.abc import Iterable

from oscar.core.loading import get_model

from catalogue.models import CatalogueImportJob
from common.locks import row_lock, rows_lock

Product = get_model("catalogue", "Product")


def product_lock(*, pk: int) -> "Product":
    """One listing, locked and read afresh (its producer joined, not locked)."""
    return row_lock(Product.objects.select_related("producer"), pk=pk, of=("self",))


def products_lock(*, ids: Iterable[int]) -> dict[int, "Product"]:
    return rows_lock(Product.objects.all(), ids=ids)


def catalogue_import_job_lock(*, pk: int) -> CatalogueImportJob:
    return row_lock(CatalogueImportJob.objects.all(), pk=pk)


def catalogue_import_active_jobs_lock(*, producer_id: int) -> dict[int, CatalogueImportJob]:
    """The producer's queued or running imports (at most one), locked."""
    active = CatalogueImportJob.objects.filter(
        producer_id=producer_id, status__in=CatalogueImportJob.ACTIVE
    )
    return rows_lock(active, ids=active.values_list("pk", flat=True))
