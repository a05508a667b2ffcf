"""Celery signal receivers: the request id travels with each task, and a task
that fails is logged with its name and the ids it was given.

Connected once, when ``marketplace.celery`` creates the app (web processes,
workers and beat alike).
"""

import logging
import re
import uuid
from decimal import Decimal

from celery import signals

from common.request_id import (
    request_id_current,
    request_id_new,
    request_id_reset,
    request_id_set,
)

logger = logging.getLogger("marketplace.tasks")

HEADER = "request_id"
# Order numbers, codes, slugs, UUIDs, command names: a string like this is an
# id; anything else (spaces, Chinese, an @) may be free text or personal data.
_ID_LIKE = re.compile(r"[A-Za-z0-9._:-]{1,64}")

# Task id -> token of the request id set for it, to undo after the task.
_tokens: dict[str, object] = {}


def _before_publish(body=None, headers=None, **kwargs):
    """Before a task message leaves: the current request id goes in its
    headers, and the arguments the worker writes in its log lines ("received",
    "succeeded") are reduced to their ids, like a failure's."""
    if headers is None:
        return
    if HEADER not in headers:
        request_id = request_id_current()
        if request_id:
            headers[HEADER] = request_id
    if isinstance(body, list | tuple) and len(body) >= 2:
        ids = task_argument_ids(body[0], body[1])
        headers["argsrepr"] = repr(ids["args"])
        headers["kwargsrepr"] = repr(ids["kwargs"])


def _task_started(task_id=None, task=None, **kwargs):
    """In the worker: the task runs under the id of the request that queued it;
    one started by beat (no id) gets a new one. A task run eagerly, inside the
    request, keeps the request's id."""
    request_id = None
    if task is not None:
        request_id = getattr(task.request, HEADER, None) or (task.request.headers or {}).get(HEADER)
    if not request_id:
        if task is not None and task.request.is_eager and request_id_current():
            return
        request_id = request_id_new()
    _tokens[task_id] = request_id_set(request_id)


def _task_finished(task_id=None, **kwargs):
    token = _tokens.pop(task_id, None)
    if token is not None:
        request_id_reset(token)


def _id_of(value):
    """What may go in a log line of an argument: ids and small scalars, never
    free text or a whole object (names, addresses, e-mail bodies)."""
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, str):
        return value if _ID_LIKE.fullmatch(value) else "<str>"
    if isinstance(value, list | tuple | set | frozenset):
        return [_id_of(item) for item in value]
    pk = getattr(value, "pk", None)
    if pk is not None:
        return pk
    return f"<{type(value).__name__}>"


def task_argument_ids(args, kwargs) -> dict:
    """The arguments of a task as they are logged when it fails."""
    return {
        "args": [_id_of(arg) for arg in (args or ())],
        "kwargs": {key: _id_of(value) for key, value in sorted((kwargs or {}).items())},
    }


def _task_failed(sender=None, task_id=None, exception=None, args=None, kwargs=None, **extra):
    name = getattr(sender, "name", str(sender))
    ids = task_argument_ids(args, kwargs)
    logger.error(
        "task %s (%s) failed: %s; args %s kwargs %s",
        name,
        task_id,
        type(exception).__name__,
        ids["args"],
        ids["kwargs"],
        extra={
            "task_name": name,
            "task_id": task_id,
            "task_args": ids["args"],
            "task_kwargs": ids["kwargs"],
        },
        exc_info=(type(exception), exception, exception.__traceback__) if exception else None,
    )


def connect() -> None:
    signals.before_task_publish.connect(_before_publish, dispatch_uid="common.request_id")
    signals.task_prerun.connect(_task_started, dispatch_uid="common.request_id")
    signals.task_postrun.connect(_task_finished, dispatch_uid="common.request_id")
    signals.task_failure.connect(_task_failed, dispatch_uid="common.task_failure")
