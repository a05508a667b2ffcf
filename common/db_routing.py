"""Reports read from the read replica; everything else stays on the primary.

A replica lags its primary by a moment, so only code that says so reads there:
the report paths (bulletin figures, the XLSX and PDF downloads) run inside
``with reporting_reads():`` (or under ``@reporting_reads()``). Outside it, and
for every write, the primary answers, so a page always sees what it has just
written (read-your-writes). ``settings.REPORTING_DATABASE`` names the alias
reports read from: ``"replica"`` when ``DATABASE_REPLICA_URL`` is set,
``"default"`` (the primary: the context changes nothing) otherwise.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# A context variable, not a thread-local: the flag follows the code that set it
# and never leaks into another request served by the same thread.
_reporting = ContextVar("reporting_reads", default=False)


@contextmanager
def reporting_reads() -> Iterator[None]:
    """Reads inside go to the reporting database (the replica when there is
    one). Usable as a decorator too; nests."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def reporting_alias() -> str:
    """Where a read made now goes: the replica only inside ``reporting_reads``,
    and not while a transaction is open on the primary (it may hold rows the
    replica has not seen: they must be read where they were written)."""
    alias = getattr(settings, "REPORTING_DATABASE", DEFAULT_DB_ALIAS)
    if (
        not _reporting.get()
        or alias == DEFAULT_DB_ALIAS
        or connections[DEFAULT_DB_ALIAS].in_atomic_block
    ):
        return DEFAULT_DB_ALIAS
    return alias


class ReportingReplicaRouter:
    """DATABASE_ROUTERS entry. Every answer is explicit, so an object read from
    the replica does not drag later reads of its relations there (Django's
    fallback would follow the instance's database) and is saved to the primary."""

    def db_for_read(self, model, **hints) -> str:
        return reporting_alias()

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # The replica holds the primary's rows: objects from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        # The replica follows the primary's schema through replication.
        return db == DEFAULT_DB_ALIAS
