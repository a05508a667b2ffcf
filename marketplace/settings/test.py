"""The test suite: PostgreSQL only (DATABASE_URL); the rest is ``test_base``."""

from django.core.exceptions import ImproperlyConfigured

from marketplace.settings.base import postgresql_planner_costs
from marketplace.settings.test_base import *  # noqa: F403
from marketplace.settings.test_base import env

if not env("DATABASE_URL", default="").startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured(
        "The test suite runs on PostgreSQL: set DATABASE_URL (make test starts a throwaway cluster)."
    )
DATABASES = {"default": postgresql_planner_costs(env.db("DATABASE_URL"))}
# The read replica's alias, as a mirror of the test database, for the tests that
# point REPORTING_DATABASE at it (tests/operations/test_replica_router.py).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
