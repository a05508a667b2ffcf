"""One id per request, in every log line it causes and every task it queues.

The id comes from the ``X-Request-ID`` header when the proxy in front (or the
caller) sent a sane one, and is made here otherwise; it goes back in the
response's ``X-Request-ID``. It lives in a context variable, so a log record
made anywhere while the request runs carries it (``RequestIdFilter``), and the
task-queue signals (``common.task_signals``) put it in the headers of the tasks
the request queues and set it again in the worker that runs them.
"""

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
# Letters, digits and - _ . : only, at most 128 characters: enough for a UUID,
# a trace id or a load balancer's id, and nothing that could break a log line.
_SANE = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def request_id_current() -> str | None:
    """The id of the request or task running now, if any."""
    return _current.get()


def request_id_new() -> str:
    return uuid.uuid4().hex


def request_id_accept(candidate: str | None) -> str:
    """``candidate`` if it is a sane id, else a new one."""
    if candidate and _SANE.fullmatch(candidate):
        return candidate
    return request_id_new()


def request_id_set(value: str | None):
    """Makes ``value`` the current id; returns the token to undo it with."""
    return _current.set(value)


def request_id_reset(token) -> None:
    _current.reset(token)


class RequestIdMiddleware:
    """First in MIDDLEWARE, so everything after it logs with the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_accept(request.headers.get(HEADER))
        request.request_id = request_id
        token = request_id_set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record ("-" outside a request or task).
    Django logs a 4xx response after the middleware has returned, with the
    request on the record: its id is taken from there."""

    def filter(self, record):
        if not getattr(record, "request_id", None):
            request = getattr(record, "request", None)
            record.request_id = request_id_current() or getattr(request, "request_id", None) or "-"
        return True
