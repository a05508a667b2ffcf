"""Browsing without text counts every facet over the whole catalogue: a
covering index of the columns the facets read (PostgreSQL) lets that be an
index-only scan of a narrow index instead of a read of the entry rows, whose
text vectors make them wide (search.backends.database._grouping_sets_sql).
SQLite's facets read the link tables and get no such index.
"""

from django.db import migrations

ENTRY_TABLE = "search_productsearchentry"
INDEX = "search_entry_facets_covering"

POSTGRESQL_FORWARD = [
    f"CREATE INDEX {INDEX} ON {ENTRY_TABLE} (producer_id) INCLUDE "
    "(province_code, city_code, county_code, is_key_county, in_stock, price, "
    "facet_category_ids, facet_certificate_kinds)",
]
POSTGRESQL_BACKWARD = [f"DROP INDEX IF EXISTS {INDEX}"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0008_product_search_entry_facet_arrays"),
    ]

    operations = [
        migrations.RunPython(_run(POSTGRESQL_FORWARD), _run(POSTGRESQL_BACKWARD)),
    ]
