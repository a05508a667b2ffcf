"""Work that runs once when the current transaction commits."""

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, transaction


class _Once:
    """A registered call that remembers it has run. Tests keep their
    transaction open, so Django's list of registrations there holds calls
    that already ran (captured and executed); those do not count as pending."""

    def __init__(self, func: Callable[[], None]):
        self.func = func
        self.done = False

    def __call__(self) -> None:
        if not self.done:
            self.done = True
            self.func()


def on_commit_once(func: Callable[[], None], *, robust: bool = True, using: str | None = None):
    """Run ``func`` when the current transaction commits, once however many
    times the transaction asks for it (the same callable, by identity); at
    once outside a transaction, as ``transaction.on_commit`` does.

    Each call registers the transaction's one pending call again rather than a
    new one: a registration made in a savepoint that rolls back is dropped
    with it while a later one stands, and a test that captures the callbacks
    of a block sees the call it has to run. Django keeps no public view of
    what is registered, so this reads ``run_on_commit`` (its (savepoint ids,
    func, robust) entries) in this one place."""
    connection = transaction.get_connection(using or DEFAULT_DB_ALIAS)
    pending = [
        registered
        for _sids, registered, _robust in connection.run_on_commit
        if isinstance(registered, _Once) and registered.func is func and not registered.done
    ]
    transaction.on_commit(pending[0] if pending else _Once(func), using=using, robust=robust)
