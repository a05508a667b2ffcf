"""Many-valued facets on the entry row (PostgreSQL): category ids (with their
ancestors) and certificate kinds as GIN-indexed arrays, so the database
backend filters with ``&&`` and counts with ``unnest`` instead of joining the
link tables over every matching entry (search.backends.database).

Existing entries are filled from the link tables they already have; from now
on search.indexing writes both. SQLite keeps the columns empty and its facets
keep reading the link tables.
"""

from django.db import migrations, models

import search.models

ENTRY_TABLE = "search_productsearchentry"

POSTGRESQL_FORWARD = [
    f"""UPDATE {ENTRY_TABLE} e SET
        facet_category_ids = COALESCE((
            SELECT array_agg(l.category_id ORDER BY l.category_id)
            FROM search_productsearchentry_categories l
            WHERE l.productsearchentry_id = e.product_id), '{{}}'),
        facet_certificate_kinds = COALESCE((
            SELECT array_agg(k.kind ORDER BY k.kind)
            FROM search_productsearchcertificatekind k
            WHERE k.entry_id = e.product_id), '{{}}')""",
    f"CREATE INDEX search_entry_category_ids_gin ON {ENTRY_TABLE} USING gin (facet_category_ids)",
    f"CREATE INDEX search_entry_certificate_kinds_gin ON {ENTRY_TABLE} "
    "USING gin (facet_certificate_kinds)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_certificate_kinds_gin",
    "DROP INDEX IF EXISTS search_entry_category_ids_gin",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0007_product_search_entry_fulltext"),
    ]

    operations = [
        migrations.AddField(
            model_name="productsearchentry",
            name="facet_category_ids",
            field=search.models.FacetValuesField(
                base_field=models.IntegerField(), null=True, size=None
            ),
        ),
        migrations.AddField(
            model_name="productsearchentry",
            name="facet_certificate_kinds",
            field=search.models.FacetValuesField(
                base_field=models.CharField(max_length=20), null=True, size=None
            ),
        ),
        migrations.RunPython(_run(POSTGRESQL_FORWARD), _run(POSTGRESQL_BACKWARD)),
    ]
