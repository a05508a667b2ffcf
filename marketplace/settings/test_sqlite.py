"""The tests marked ``both_databases`` again on SQLite, the database of ``make run``.

Everything but the database comes from ``test_base``, as for ``test.py``. The
database is a file in a fresh temporary directory (not SQLite's in-memory
default), so that transactional tests see one database from every connection.
"""

import tempfile
from pathlib import Path

from marketplace.settings.test_base import *  # noqa: F403

_SQLITE_DIR = Path(tempfile.mkdtemp(prefix="marketplace-test-sqlite-"))
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(_SQLITE_DIR / "db.sqlite3"),
        "ATOMIC_REQUESTS": False,
        "TEST": {"NAME": str(_SQLITE_DIR / "test.sqlite3")},
    }
}
