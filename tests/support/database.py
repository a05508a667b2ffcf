"""The migrated rows that transactional tests flush away, and putting them back."""

import pytest


def is_transactional(item: pytest.Item) -> bool:
    """Whether ``item`` runs as a TransactionTestCase: it commits, then flushes every table."""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    fixtures = getattr(item, "fixturenames", ())
    return "transactional_db" in fixtures or "live_server" in fixtures


def restore_migrated_rows(django_db_blocker) -> None:
    """Empty every table and load the snapshot taken when the test database was migrated."""
    from django.core.management import call_command
    from django.db import connection

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:  # the session never set up the test database
        return
    with django_db_blocker.unblock():
        # Without serialized_rollback the test's flush ran post_migrate, which
        # made content types and permissions again under new ids; the snapshot's
        # own rows would collide with them.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(contents)
        # The flush restarted every sequence and the snapshot's rows came back
        # with their own ids: move each sequence past them, or the next row a
        # test adds (a Wagtail page under the migrated ones) takes a used id.
        _sequences_past_rows(connection)


def _sequences_past_rows(connection) -> None:
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
