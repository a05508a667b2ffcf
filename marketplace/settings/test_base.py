"""What every test run shares, whatever its database: fast hashing, in-memory
email, throwaway media. ``test.py`` adds PostgreSQL, ``test_sqlite.py`` SQLite."""

import tempfile

from marketplace.settings.base import *  # noqa: F403
from marketplace.settings.base import LOCAL_FILE_STORAGES, caches_for, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "common.sms.backends.locmem.SmsBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="marketplace-test-media-")
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="marketplace-test-private-media-")
SENDFILE_BACKEND = "django_sendfile.backends.simple"
SENDFILE_ROOT = PRIVATE_MEDIA_ROOT
ALLOWED_HOSTS = ["*"]
# Files stay on local disk whatever S3_* the environment holds, unless a test
# asks for the object store (the s3_storages fixture, tests/conftest.py),
# which then uses this S3-compatible server (scripts/s3-server.sh).
S3_TEST_ENDPOINT_URL = env("S3_TEST_ENDPOINT_URL", default="")
S3_MEDIA_BUCKET = ""
S3_PRIVATE_BUCKET = ""
STORAGES = {**STORAGES, **LOCAL_FILE_STORAGES}  # noqa: F405

# Serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tests use the database search backend unless a test asks for Elasticsearch
# (the es_backend fixture), which then uses this server.
ELASTICSEARCH_TEST_URL = env("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_URL = ""

# Stripe is off unless a test asks for it (the stripe fixture, tests/conftest.py),
# which points the client at this localstripe (scripts/localstripe.sh).
STRIPE_TEST_API_BASE = env("STRIPE_API_BASE", default="")
STRIPE_API_BASE = ""
STRIPE_SECRET_KEY = ""
STRIPE_PUBLISHABLE_KEY = ""
STRIPE_WEBHOOK_SECRET = ""

# Tasks run eagerly, inside the test, unless a test asks for a worker (the
# celery_worker fixture, tests/conftest.py), which then uses this Redis
# (scripts/redis-server.sh).
REDIS_TEST_URL = env("REDIS_URL", default="")
REDIS_URL = ""
CELERY_BROKER_URL = "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = True
# Reports read from the primary unless a test asks for the replica (a mirror
# of the test database is a second connection, which sees only committed rows,
# and most tests never commit).
REPORTING_DATABASE = "default"
REDIS_CACHE_URL = ""
CACHES = caches_for("")
SESSION_ENGINE = "django.contrib.sessions.backends.db"
