"""The test suite: PostgreSQL only (DATABASE_URL), fast hashing, in-memory email."""

import tempfile

from django.core.exceptions import ImproperlyConfigured

from marketplace.settings.base import *  # noqa: F403
from marketplace.settings.base import env

if not env("DATABASE_URL", default="").startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured(
        "The test suite runs on PostgreSQL: set DATABASE_URL (make test starts a throwaway cluster)."
    )
DATABASES = {"default": env.db("DATABASE_URL")}

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="marketplace-test-media-")
ALLOWED_HOSTS = ["*"]

# Serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tests use the database search backend unless a test asks for Elasticsearch
# (the es_backend fixture), which then uses this server.
ELASTICSEARCH_TEST_URL = env("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_URL = ""
