"""make run's SQLite database takes concurrent writes: they queue, none fails
with "database is locked" (issue 10, item 11)."""

import threading

import pytest
from django.db import connections, transaction

from marketplace.settings.base import sqlite_for_concurrent_writes

THREADS = 6
WRITES = 15


@pytest.fixture
def sqlite_alias(tmp_path, django_db_blocker):
    alias = "make_run_sqlite"
    database = sqlite_for_concurrent_writes(
        {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "db.sqlite3")}
    )
    configured = connections.configure_settings(
        {"default": connections.settings["default"], alias: database}
    )
    connections.settings[alias] = configured[alias]
    with django_db_blocker.unblock():
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)")
            cursor.execute("INSERT INTO counter VALUES (1, 0)")
        yield alias
        connections[alias].close()
    del connections[alias]
    del connections.settings[alias]


def test_the_embedded_database_runs_in_wal_mode_and_waits_for_the_write_lock(sqlite_alias):
    with connections[sqlite_alias].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20_000


def test_concurrent_read_then_write_transactions_queue_instead_of_failing(
    sqlite_alias, django_db_blocker
):
    errors = []
    start = threading.Barrier(THREADS)

    def work():
        try:
            with django_db_blocker.unblock():
                start.wait()
                for _ in range(WRITES):
                    # Read, then write in the same transaction: with SQLite's
                    # default deferred transactions two such writers deadlock
                    # on the lock upgrade and one fails at once.
                    with transaction.atomic(using=sqlite_alias):
                        with connections[sqlite_alias].cursor() as cursor:
                            cursor.execute("SELECT n FROM counter WHERE id = 1")
                            (n,) = cursor.fetchone()
                            cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
        except Exception as exc:  # noqa: BLE001 - every failure is the finding
            errors.append(repr(exc))
        finally:
            connections[sqlite_alias].close()

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with connections[sqlite_alias].cursor() as cursor:
        cursor.execute("SELECT n FROM counter WHERE id = 1")
        assert cursor.fetchone()[0] == THREADS * WRITES
