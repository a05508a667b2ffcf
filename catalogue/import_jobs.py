"""Catalogue import as a background job (商品批量导入): the services of
``CatalogueImportJob``, split from ``catalogue.services`` (the listing
services) because they are about the job, not a listing.

``catalogue_import_submit`` runs in the upload request: it checks the file's
shape (``importers.import_file_check``: size, format, header, row limit),
stores the file in the private storage, creates the job and queues
``catalogue.run_import`` once the transaction commits. ``catalogue_import_run``
is that task's body (and the ``catalogue_import`` command's): it runs
``CatalogueImporter`` with a progress callback and writes the outcome on the
job. A producer runs one import at a time (a partial unique constraint).

Progress must be visible while the import runs. Checking happens before the
apply transaction opens, so its counts are plain autocommit updates. Applying
is one transaction (all or nothing, the listing services' row locks); a count
written on the import's own connection would stay invisible until it commits,
so on PostgreSQL the applied count goes through a second connection of its own,
in autocommit, that only ever updates the job row (which the apply transaction
does not touch until its last step). SQLite takes one writer at a time: there
the applied count arrives with the result.
"""

import logging
import time
from functools import partial
from pathlib import PurePath

from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    IntegrityError,
    connection,
    connections,
    transaction,
)
from django.utils import timezone, translation

from catalogue.exceptions import (
    CatalogueImportAbandoned,
    CatalogueImportRejected,
    CatalogueImportRunning,
    ListingPermissionDenied,
)
from catalogue.importers import (
    APPLYING,
    CHECKING,
    CatalogueImporter,
    ImportResult,
    RowError,
    import_file_check,
)
from catalogue.lock_objects import catalogue_import_active_jobs_lock, catalogue_import_job_lock
from catalogue.models import CatalogueImportJob
from catalogue.rules import catalogue_import_is_stale
from partner.selectors import partner_is_managed_by

logger = logging.getLogger(__name__)

Status = CatalogueImportJob.Status

# Seconds between two progress writes: one write per row would be 5,000 of them.
PROGRESS_INTERVAL = 0.5


def catalogue_import_submit(
    *, producer, actor, upload, overwrite_newer: bool = False, queue: bool = True
) -> CatalogueImportJob:
    """Queue ``upload`` for import into ``producer``'s catalogue on behalf of
    ``actor`` and return the job at once.

    Raises ``ListingPermissionDenied`` unless the actor manages the producer,
    ``CatalogueImportRejected`` (with the file's problems) when the file cannot
    be read, has the wrong header or too many rows, and ``CatalogueImportRunning``
    while another import of the producer is queued or running; each of them
    changes nothing. A job whose worker went silent
    (``catalogue.rules.catalogue_import_is_stale``) is marked failed here and no
    longer stands in the way. ``queue=False`` leaves the job for the caller to
    run (``catalogue_import_run``; the ``catalogue_import`` command)."""
    if not partner_is_managed_by(partner_id=producer.partner_id, user=actor):
        raise ListingPermissionDenied()
    checked = import_file_check(upload)
    with transaction.atomic():
        _active_jobs_settle(producer_id=producer.pk)
        job = CatalogueImportJob(
            producer=producer,
            actor=actor,
            overwrite_newer=overwrite_newer,
            rows_total=checked.rows,
            file_name=PurePath(getattr(upload, "name", "") or "").name[:255],
            language=translation.get_language() or "",
        )
        job.file.save(f"catalogue.{checked.format}", upload, save=False)
        try:
            with transaction.atomic():
                job.save()
        except IntegrityError:
            # Another upload of the same producer committed first (a double click).
            job.file.delete(save=False)
            running = CatalogueImportJob.objects.filter(
                producer_id=producer.pk, status__in=CatalogueImportJob.ACTIVE
            ).first()
            raise _running(running) from None
        if queue:
            transaction.on_commit(partial(_queue, job.pk))
    return job


def _running(job: CatalogueImportJob | None) -> CatalogueImportRunning:
    started = timezone.localtime(job.created_at if job else timezone.now())
    error = CatalogueImportRunning(params={"started": started.strftime("%Y-%m-%d %H:%M")})
    error.job = job
    return error


def _active_jobs_settle(*, producer_id: int) -> None:
    """Mark the producer's stale jobs failed; refuse while a live one runs."""
    for job in catalogue_import_active_jobs_lock(producer_id=producer_id).values():
        if not catalogue_import_is_stale(job):
            raise _running(job)
        logger.warning("catalogue import %s gave no sign of life; marked failed", job.pk)
        job.status = Status.FAILED
        job.failure = CatalogueImportJob.Failure.TIMED_OUT
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "failure", "finished_at", "updated_at"])


def _queue(job_id: int) -> None:
    from catalogue.tasks import catalogue_run_import

    try:
        catalogue_run_import.delay(job_id)
    except Exception as exc:  # the broker cannot be reached: say so on the job
        logger.exception("catalogue import %s could not be queued", job_id)
        _finish_failed(job_id, CatalogueImportJob.Failure.QUEUE_UNAVAILABLE, exc)


def catalogue_import_run(*, job_id: int) -> CatalogueImportJob | None:
    """Import a queued job's file (the task's body) and record the outcome:
    done with the counts and what each row did, rejected with every row's
    problem, or failed. A job that is not queued (already run, a task delivered
    twice, given up) is left alone. An exception other than the import's own
    marks the job failed and is raised again for the worker to log."""
    job = CatalogueImportJob.objects.select_related("producer", "actor").filter(pk=job_id).first()
    if job is None:
        return None
    now = timezone.now()
    claimed = CatalogueImportJob.objects.filter(pk=job.pk, status=Status.QUEUED).update(
        status=Status.CHECKING, started_at=now, updated_at=now
    )
    if not claimed:
        return job
    reporter = ImportProgressReporter(job.pk)
    try:
        with translation.override(job.language or None):
            if job.actor is None:
                raise ListingPermissionDenied()
            importer = CatalogueImporter(
                producer=job.producer, actor=job.actor, overwrite_newer=job.overwrite_newer
            )
            with job.file.open("rb") as handle:
                importer.import_file(
                    handle, progress=reporter, before_commit=partial(_finish_done, job.pk)
                )
    except CatalogueImportRejected as rejected:
        _finish_rejected(job.pk, rejected.errors)
    except ListingPermissionDenied as exc:
        # The uploader left the producer's users before the worker got to the file.
        _finish_rejected(job.pk, [RowError(0, "", str(exc), exc.code)])
    except CatalogueImportAbandoned:
        logger.warning("catalogue import %s was given up while it ran; rolled back", job.pk)
    except Exception as exc:
        logger.exception("catalogue import %s failed", job.pk)
        _finish_failed(job.pk, CatalogueImportJob.Failure.WORKER_ERROR, exc)
        raise
    finally:
        reporter.close()
    return CatalogueImportJob.objects.get(pk=job.pk)


def _finish_done(job_id: int, result: ImportResult) -> None:
    """The last step of the apply transaction: the job is done exactly when
    its rows are written. A job given up meanwhile rolls them back."""
    job = catalogue_import_job_lock(pk=job_id)
    if job.status != Status.APPLYING:
        raise CatalogueImportAbandoned()
    job.status = Status.DONE
    job.rows_checked = job.rows_total = job.rows_applied = len(result.rows)
    job.created_count = result.created
    job.updated_count = result.updated
    job.unchanged_count = result.unchanged
    job.outcomes = [[o.row, o.sku, o.outcome] for o in result.rows]
    job.errors = []
    job.finished_at = timezone.now()
    job.save()


def _finish_rejected(job_id: int, errors: list[RowError]) -> None:
    CatalogueImportJob.objects.filter(pk=job_id, status__in=CatalogueImportJob.ACTIVE).update(
        status=Status.REJECTED,
        errors=[[e.row, e.column, e.message, e.code] for e in errors],
        rows_applied=0,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def _finish_failed(job_id: int, failure: str, exc: Exception) -> None:
    CatalogueImportJob.objects.filter(pk=job_id, status__in=CatalogueImportJob.ACTIVE).update(
        status=Status.FAILED,
        failure=failure,
        failure_detail=f"{type(exc).__name__}: {exc}"[:2000],
        rows_applied=0,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


class ImportProgressReporter:
    """The importer's progress callback for one job: writes the counts at
    most every ``interval`` seconds, and at each stage's start and end (see
    the module docstring for which connection). Every write is also the job's
    sign of life for ``catalogue_import_is_stale``."""

    def __init__(self, job_id: int, *, interval: float | None = None):
        self.job_id = job_id
        self.interval = PROGRESS_INTERVAL if interval is None else interval
        self.stage: str | None = None
        self.last_write = 0.0
        self._side = None
        self._side_broken = False

    def __call__(self, *, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self.stage and done < total and now - self.last_write < self.interval:
            return
        self.stage, self.last_write = stage, now
        if stage == CHECKING:
            self._write(rows_total=total, rows_checked=done)
        elif stage == APPLYING and done == 0:
            # Just before the apply transaction opens.
            self._write(status=Status.APPLYING, rows_checked=total, rows_applied=0)
        elif stage == APPLYING:
            self._write_applied(done)
        else:
            raise ValueError(f"unknown import stage {stage!r}")

    def _write(self, **fields) -> None:
        # Outside any transaction of the import: committed at once. A job
        # that is no longer being checked was given up; stop working on it.
        updated = CatalogueImportJob.objects.filter(pk=self.job_id, status=Status.CHECKING).update(
            **fields, updated_at=timezone.now()
        )
        if not updated:
            raise CatalogueImportAbandoned()

    def _write_applied(self, done: int) -> None:
        if connection.vendor != "postgresql" or self._side_broken:
            return
        table = CatalogueImportJob._meta.db_table
        quote = connection.ops.quote_name
        try:
            if self._side is None:
                self._side = connections.create_connection(DEFAULT_DB_ALIAS)
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {quote(table)} SET {quote('rows_applied')} = %s, "
                    f"{quote('updated_at')} = %s WHERE {quote('id')} = %s "
                    f"AND {quote('status')} = %s",
                    [done, timezone.now(), self.job_id, Status.APPLYING],
                )
        except DatabaseError:
            # Progress is a courtesy: the import goes on, and its result is
            # written by its own transaction.
            logger.exception("catalogue import %s: progress not written", self.job_id)
            self._side_broken = True

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
