"""Real text search for the database backend (search.fulltext).

PostgreSQL: a weighted ``tsvector`` per entry with a GIN index, and pg_trgm's
GIN trigram index on the title's pinyin (suggestions as people type). SQLite
(``make run``): an FTS5 table with the same tokens, its rows deleted with their
entries by a trigger. Each part runs only on its own database.

The text columns the entries had are replaced: every existing entry is queued
in the search outbox, so ``search.apply_outbox`` writes it again in the new
layout (``search_rebuild_index`` does the same at once).
"""

from django.db import migrations, models

import search.models

FTS_TABLE = "search_productsearchfts"
ENTRY_TABLE = "search_productsearchentry"

POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX search_entry_vector_gin ON {ENTRY_TABLE} USING gin (search_vector)",
    f"CREATE INDEX search_entry_title_pinyin_trgm ON {ENTRY_TABLE} "
    "USING gin (title_pinyin gin_trgm_ops)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_title_pinyin_trgm",
    "DROP INDEX IF EXISTS search_entry_vector_gin",
]
SQLITE_FORWARD = [
    # Tokens arrive separated by spaces (search.fulltext.fts_row); '.' stays
    # inside a token, as in 2.5kg.
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "title, category, words, title_pinyin, other_pinyin, title_initials, other_initials, "
    "tokenize = \"unicode61 remove_diacritics 0 tokenchars '.'\")",
    f"CREATE TRIGGER {FTS_TABLE}_entry_deleted AFTER DELETE ON {ENTRY_TABLE} "
    f"BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.product_id; END",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_entry_deleted",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def queue_existing_entries(apps, schema_editor):
    Entry = apps.get_model("search", "ProductSearchEntry")
    Outbox = apps.get_model("search", "IndexOutbox")
    ids = Entry.objects.values_list("pk", flat=True).iterator(chunk_size=2000)
    batch = []
    for pk in ids:
        batch.append(Outbox(model="product", object_id=pk, op="index"))
        if len(batch) == 2000:
            Outbox.objects.bulk_create(batch)
            batch = []
    Outbox.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_indexrebuild_heartbeat"),
    ]

    operations = [
        migrations.RemoveField(model_name="productsearchentry", name="other_text"),
        migrations.RemoveField(model_name="productsearchentry", name="other_pinyin"),
        migrations.AddField(
            model_name="productsearchentry",
            name="search_vector",
            field=search.models.SearchTokensField(null=True),
        ),
        migrations.AddIndex(
            model_name="productsearchentry",
            index=models.Index(
                fields=["-num_sold", "-date_created", "-product"], name="search_entry_best_selling"
            ),
        ),
        migrations.AddIndex(
            model_name="productsearchentry",
            index=models.Index(fields=["-date_created", "-product"], name="search_entry_newest"),
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
        migrations.RunPython(queue_existing_entries, migrations.RunPython.noop),
    ]
