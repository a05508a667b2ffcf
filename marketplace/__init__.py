# The Celery app is created with Django, so shared tasks bind to it and
# `celery -A marketplace` finds it.
from marketplace.celery import app as celery_app

__all__ = ("celery_app",)
