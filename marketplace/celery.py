"""The Celery app: broker, result backend and schedule come from the settings
(``CELERY_*``, see the README's "Task queue"); tasks are the ``tasks.py`` of
each app, thin wrappers around services.

Start a worker and beat with
``celery -A marketplace worker`` and ``celery -A marketplace beat``.
"""

import os

from celery import Celery

from common import task_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.production")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
task_signals.connect()
