"""A database built by the code before the restructure (issue 9), full of the
demo data that code seeded, migrates forward with nothing lost.

The old tree is taken from git at the last commit before the move, migrated and
seeded by its own code in a database of its own on the test server; then this
tree's migrations run on it. Every table keeps its rows (or hands them on to
the table named in ``MOVED``), and the moved models read them back.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
# The last commit on main before the app graph was untangled.
OLD_MAIN = "dae11e3cc6604fc380255098a140346c93fc5570"

# Tables whose rows legitimately grow when new code migrates: new models add
# content types and permissions, and every migration adds a row.
MAY_GROW = {
    "django_content_type",
    "auth_permission",
    "django_migrations",
    # Rows data migrations add on purpose (they may grow, never shrink): the three
    # section pages (cms 0004), the story publishing workflow with its county and
    # editor steps (cms 0005-0006), and the county-story-reviewers group with its
    # admin permission, which the county reviewers join.
    "wagtailcore_page",
    "wagtailcore_task",
    "wagtailcore_groupapprovaltask",
    "wagtailcore_groupapprovaltask_groups",
    "wagtailcore_workflow",
    "wagtailcore_workflowtask",
    "wagtailcore_workflowpage",
    "auth_group",
    "auth_group_permissions",
    "auth_user_groups",
    # The English locale beside the Chinese one (cms 0008).
    "wagtailcore_locale",
}
# Tables whose rows a migration hands on to another table: old -> new.
MOVED: dict[str, str] = {}


def _server_url(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{name}"


def _table_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _manage(tree: Path, env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} in {tree}:\n{result.stderr[-4000:]}"
    return result.stdout


@pytest.fixture
def scratch_database():
    name = f"migrate_old_{uuid.uuid4().hex[:10]}"
    admin = _server_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _server_url(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def old_tree(tmp_path):
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", OLD_MAIN],
        capture_output=True,
        check=False,
    )
    assert archive.returncode == 0, (
        f"git archive {OLD_MAIN} failed (a shallow clone?): {archive.stderr.decode()[-500:]}"
    )
    tree = tmp_path / "old"
    tree.mkdir()
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def test_a_database_seeded_before_the_restructure_migrates_forward_with_nothing_lost(
    scratch_database, old_tree, tmp_path
):
    env = {
        **os.environ,
        "DATABASE_URL": scratch_database,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.dev",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "ELASTICSEARCH_URL": "",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    _manage(old_tree, env, "migrate", "--noinput")
    _manage(old_tree, env, "marketplace_seed_demo")
    before = _table_counts(scratch_database)
    assert before["producers_region"] > 3000 and before["catalogue_product"] >= 80

    _manage(REPO, env, "migrate", "--noinput")
    after = _table_counts(scratch_database)

    lost = {}
    for table, rows in before.items():
        target = MOVED.get(table, table)
        kept = after.get(target)
        if kept is None or kept < rows or (kept != rows and table not in MAY_GROW | set(MOVED)):
            lost[table] = (rows, kept)
    assert lost == {}, f"table: (rows before, rows after): {lost}"

    # The moved models read the same rows through their new homes.
    check = (
        "import json\n"
        "from regions.models import Region\n"
        "from catalogue.models import Product\n"
        "from producers.models import Producer\n"
        "print(json.dumps({"
        "'regions': Region.objects.count(),"
        "'key_counties': Region.objects.filter(is_key_assistance_county=True).count(),"
        "'origins': sorted(Product.objects.exclude(origin_county=None)"
        ".values_list('origin_county__code', flat=True).distinct()),"
        "'producer_counties': Producer.objects.filter(county__level='county').count(),"
        "'producers': Producer.objects.count(),"
        "}))"
    )
    seen = json.loads(_manage(REPO, env, "shell", "-c", check).strip().splitlines()[-1])
    assert seen["regions"] == before["producers_region"]
    assert seen["key_counties"] >= 1
    assert seen["origins"] and all(len(code) == 6 for code in seen["origins"])
    assert seen["producer_counties"] == seen["producers"] == before["producers_producer"]
