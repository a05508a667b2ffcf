"""Every PostgreSQL session the application opens prices a random page read
as on SSD or memory (DATABASE_RANDOM_PAGE_COST, marketplace.settings.base):
with PostgreSQL's default a broad database search scanned every entry instead
of reading the text index. JIT compilation is off: it cost more than it saved
on the facet queries."""

import pytest
from django.db import connection

from marketplace.settings import base
from marketplace.settings.base import postgresql_planner_costs


@pytest.mark.django_db
def test_the_test_database_session_has_the_configured_random_page_cost():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        (value,) = cursor.fetchone()
    assert float(value) == base.DATABASE_RANDOM_PAGE_COST == 1.1


@pytest.mark.django_db
def test_the_sessions_compile_no_query_just_in_time():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_the_setting_joins_the_postgresql_start_up_options_only(monkeypatch):
    monkeypatch.setattr(base, "DATABASE_RANDOM_PAGE_COST", 1.5)
    postgresql = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "-c a=b"}}
    assert postgresql_planner_costs(postgresql)["OPTIONS"] == {
        "options": "-c a=b -c jit=off -c random_page_cost=1.5"
    }
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "x"}
    assert postgresql_planner_costs(dict(sqlite)) == sqlite


def test_zero_keeps_the_servers_setting(monkeypatch):
    monkeypatch.setattr(base, "DATABASE_RANDOM_PAGE_COST", 0.0)
    database = {"ENGINE": "django.db.backends.postgresql"}
    assert postgresql_planner_costs(dict(database))["OPTIONS"] == {"options": "-c jit=off"}
