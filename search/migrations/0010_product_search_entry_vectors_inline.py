"""Entry rows keep their text vector inline (PostgreSQL).

A row wider than about 2 kB is TOASTed: PostgreSQL first tries to compress
its widest value and, when a text vector does not compress, moves it out of
line. About half the entries at 100,000 products had their vector stored
apart, so every match recheck and every relevance clause fetched it from the
TOAST table and copied it back (search.backends.database._ranked_page). An
entry row is at most a few kilobytes; with ``toast_tuple_target`` at its
maximum a row is only TOASTed when it would not fit a page.

The setting applies to rows written from now on; the entries whose vector is
large enough to have been moved out are written again (a new value of the
same vector: ``|| ''`` returns an equal one).
"""

from django.db import migrations

ENTRY_TABLE = "search_productsearchentry"


def keep_vectors_inline(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {ENTRY_TABLE} SET (toast_tuple_target = 8160)")
    schema_editor.execute(
        f"UPDATE {ENTRY_TABLE} SET search_vector = search_vector || ''::tsvector "
        "WHERE pg_column_size(search_vector) > 1024"
    )


def reset_toast_target(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {ENTRY_TABLE} RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0009_product_search_entry_facet_covering_index"),
    ]

    operations = [
        migrations.RunPython(keep_vectors_inline, reset_toast_target),
    ]
