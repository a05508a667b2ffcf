"""Durable index writes: a transactional outbox.

A change that alters what search shows writes ``IndexOutbox`` rows in its own
transaction (the receivers, through ``outbox_add``): the work commits with the
change or not at all. After the commit, ``search.apply_outbox`` runs (eagerly
in the same process without a broker, as in ``make run`` and the tests; on a
worker with one), and beat runs it every minute as well (PERIODIC_TASKS) for
whatever a crash or an outage left behind.

``outbox_apply`` claims a batch of due rows (skipping rows another worker is
applying), de-duplicates them by object, writes the database entries and one
Elasticsearch bulk request, and deletes the rows. When Elasticsearch fails the
rows stay, each attempt waiting twice as long as the last (up to an hour), with
the error kept on the row and logged; the database entries are written anyway,
so the search fallback stays true during the outage.

While ``search_rebuild_index`` runs, applied rows are held instead of deleted
and applied again once the new index carries the alias: a product the rebuild
read before the change reaches the new index all the same. A rebuild that died
(search.rules.rebuild_stale_before) holds nothing: the next outbox run or
rebuild clears its row and releases what it held.

Content pages (search.pages) go through the same rows (``model`` "page"):
publishing or unpublishing one queues it, and the apply writes it as it then is.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from catalogue.cache import catalogue_version_bump
from common.transactions import on_commit_once
from search.exceptions import IndexRebuildAbandoned
from search.indexing import ElasticsearchWriteFailed, products_index_apply
from search.lock_objects import outbox_claim
from search.models import IndexOutbox, IndexRebuild
from search.pages import pages_index_apply
from search.rules import rebuild_stale_before

logger = logging.getLogger(__name__)

# Rows applied in one bulk request.
BATCH_SIZE = 1000
# First retry after a failure, doubled each attempt up to the cap.
RETRY_FIRST = timedelta(seconds=30)
RETRY_MAX = timedelta(hours=1)


def outbox_add(
    *, product_ids: Iterable[int] = (), page_ids: Iterable[int] = (), deleted: bool = False
) -> int:
    """Queue these products (or content pages) for re-indexing, inside the
    current transaction; the apply task is kicked once it commits."""
    op = IndexOutbox.Op.DELETE if deleted else IndexOutbox.Op.INDEX
    rows = [
        IndexOutbox(model=model, object_id=i, op=op)
        for model, ids in ((IndexOutbox.PRODUCT, product_ids), (IndexOutbox.PAGE, page_ids))
        for i in sorted({i for i in ids if i})
    ]
    if not rows:
        return 0
    IndexOutbox.objects.bulk_create(rows)
    _kick_on_commit()
    return len(rows)


def _kick_on_commit() -> None:
    """One apply run per transaction, however many changes queue rows in it
    (the run applies every row). robust: the change has committed; a broker
    that cannot be reached is logged, and beat's run a minute later applies
    the rows."""
    on_commit_once(_kick, robust=True)


def _kick() -> None:
    from search.tasks import search_apply_outbox

    search_apply_outbox.delay()


def retry_delay(attempts: int) -> timedelta:
    """How long a batch that failed ``attempts`` times waits before the next try."""
    return min(RETRY_FIRST * 2 ** (attempts - 1), RETRY_MAX)


def outbox_apply(*, batch_size: int = BATCH_SIZE, now: datetime | None = None) -> dict:
    """Apply every due outbox row, a batch at a time, until none is due or a
    batch fails. Returns counts: applied rows, distinct objects, failed rows."""
    outbox_reap_stale_rebuilds(now=now)
    totals = {"rows": 0, "objects": 0, "failed": 0}
    while True:
        batch = _apply_batch(batch_size=batch_size, now=now or timezone.now())
        for key in totals:
            totals[key] += batch[key]
        if batch["failed"] or batch["rows"] + batch["failed"] < batch_size:
            return totals


@transaction.atomic
def _apply_batch(*, batch_size: int, now: datetime) -> dict:
    rows = outbox_claim(now=now, limit=batch_size)
    if not rows:
        return {"rows": 0, "objects": 0, "failed": 0}
    product_ids = {r.object_id for r in rows if r.model == IndexOutbox.PRODUCT}
    page_ids = {r.object_id for r in rows if r.model == IndexOutbox.PAGE}
    pks = [r.pk for r in rows]
    error = None
    try:
        with transaction.atomic():
            # The database entries stand when Elasticsearch fails: the
            # fallback is current.
            if product_ids:
                try:
                    products_index_apply(product_ids=product_ids)
                except ElasticsearchWriteFailed as exc:
                    error = exc
            if page_ids:
                try:
                    pages_index_apply(page_ids=page_ids)
                except ElasticsearchWriteFailed as exc:
                    error = error or exc
    except Exception as exc:  # noqa: BLE001 - any failure keeps the rows for a retry
        error = exc
    if error is not None:
        _postpone(rows, error, now)
        return {"rows": 0, "objects": 0, "failed": len(rows)}
    # Elasticsearch now answers with the change: listings cached from the old
    # index (between the change's commit and now) are stale.
    catalogue_version_bump()
    if _rebuild_running(now):
        IndexOutbox.objects.filter(pk__in=pks).update(held=True)
    else:
        IndexOutbox.objects.filter(pk__in=pks).delete()
    return {"rows": len(rows), "objects": len(product_ids) + len(page_ids), "failed": 0}


def _postpone(rows: list[IndexOutbox], exc: Exception, now: datetime) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    for row in rows:
        row.attempts += 1
        row.next_attempt_at = now + retry_delay(row.attempts)
        row.last_error = error
    IndexOutbox.objects.bulk_update(rows, ["attempts", "next_attempt_at", "last_error"])
    logger.warning(
        "Search index writes failed for %d outbox rows (attempt %d, next at %s): %s",
        len(rows),
        max(r.attempts for r in rows),
        min(r.next_attempt_at for r in rows).isoformat(),
        error,
    )


def _rebuild_running(now: datetime) -> bool:
    return IndexRebuild.objects.filter(heartbeat_at__gte=rebuild_stale_before(now)).exists()


def outbox_rebuild_started() -> IndexRebuild:
    """A rebuild begins: rebuilds that died first give up what they held."""
    outbox_reap_stale_rebuilds()
    return IndexRebuild.objects.create()


def outbox_rebuild_heartbeat(rebuild: IndexRebuild) -> None:
    """The rebuild is alive (after each batch). Its row is gone when it was
    taken for dead meanwhile: the changes it held were released to the live
    index, so its new index may miss some and must not be swapped in."""
    if not IndexRebuild.objects.filter(pk=rebuild.pk).update(heartbeat_at=timezone.now()):
        raise IndexRebuildAbandoned()


def outbox_reap_stale_rebuilds(*, now: datetime | None = None) -> int:
    """Clear the rows of rebuilds that stopped beating (a crash, a kill) and,
    when no live rebuild remains, release the outbox rows they held so the
    next run applies them. Returns how many rebuilds were cleared."""
    now = now or timezone.now()
    reaped, _by_model = IndexRebuild.objects.filter(
        heartbeat_at__lt=rebuild_stale_before(now)
    ).delete()
    if reaped:
        released = 0
        if not IndexRebuild.objects.exists():
            released = IndexOutbox.objects.filter(held=True).update(held=False, next_attempt_at=now)
        logger.warning(
            "Cleared %d search rebuild(s) that stopped reporting progress; "
            "released %d held index changes.",
            reaped,
            released,
        )
    return reaped


def outbox_rebuild_finished(rebuild: IndexRebuild) -> int:
    """The rebuild swapped its alias (or gave up): release the rows held while
    it ran and apply them, now to the new index. Returns how many."""
    rebuild.delete()
    if _rebuild_running(timezone.now()):  # another rebuild still running holds them
        return 0
    held = IndexOutbox.objects.filter(held=True).update(held=False, next_attempt_at=timezone.now())
    if held:
        outbox_apply()
    return held


def outbox_pending() -> int:
    return IndexOutbox.objects.count()
