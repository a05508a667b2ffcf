"""The one row-lock helper (Saleor keeps the same idea in per-app ``lock_objects.py``).

Rows are always locked in primary-key order: two transactions that need the
same rows queue for them in the same order and cannot deadlock. Each app names
what it locks in its own ``lock_objects.py`` by calling ``rows_lock``.
"""

from collections.abc import Iterable

from django.db import models


def rows_lock(
    queryset: models.QuerySet, *, ids: Iterable[int], of: tuple[str, ...] = ()
) -> dict[int, models.Model]:
    """Lock the rows of ``queryset`` whose pk is in ``ids`` and return them by pk.

    Must run inside a transaction. ``of`` limits the lock to the named tables
    when the queryset joins others (``("self",)``); rows that do not exist are
    simply missing from the result.
    """
    locked = _for_update(queryset, of=of).filter(pk__in=sorted(set(ids))).order_by("pk")
    return {row.pk: row for row in locked}


def row_lock(queryset: models.QuerySet, *, pk: int, of: tuple[str, ...] = ()) -> models.Model:
    """One row, locked and read afresh; raises the model's DoesNotExist if it is gone."""
    rows = rows_lock(queryset, ids=[pk], of=of)
    if pk not in rows:
        raise queryset.model.DoesNotExist(f"{queryset.model.__name__} {pk} does not exist")
    return rows[pk]


def rows_claim(queryset: models.QuerySet, *, limit: int) -> list[models.Model]:
    """Up to ``limit`` rows of ``queryset`` (in its order), locked, skipping the
    rows another transaction holds: workers sharing a queue each claim their
    own batch instead of waiting for one another. Must run inside a transaction."""
    return list(_for_update(queryset, skip_locked=True)[:limit])


def _for_update(queryset: models.QuerySet, **options) -> models.QuerySet:
    # The one call of select_for_update in the application (tests/unit/test_locks.py).
    return queryset.select_for_update(**options)
