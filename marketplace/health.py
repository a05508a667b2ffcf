"""Health endpoints for load balancers and orchestrators.

``/healthz``: the process answers (touches nothing else). ``/readyz``: the
process can serve: the database answers, Redis and Elasticsearch answer when
they are configured, and file storage takes a write. Both answer JSON with each
check's status and time in ms, 200 when all pass and 503 otherwise; no login,
never cached. The middleware answers them ahead of the rest of the stack, so
host checks, the HTTPS redirect, sessions and the basket cost nothing and a
probe by IP address works.
"""

import logging
import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connections
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

OK = "ok"
FAILED = "failed"
OFF = "off"
# A probe must answer fast even when a dependency hangs.
TIMEOUT_SECONDS = 2
STORAGES_CHECKED = ("default", "private")


def _check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def redis_urls() -> list[str]:
    """The Redis servers this process uses (cache, broker, result backend)."""
    candidates = [settings.REDIS_URL, settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND]
    urls = []
    for url in candidates:
        if url and url.startswith(("redis://", "rediss://", "unix://")) and url not in urls:
            urls.append(url)
    return urls


def _check_redis():
    import redis

    for url in redis_urls():
        client = redis.Redis.from_url(
            url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
        )
        try:
            client.ping()
        finally:
            client.close()


def _check_elasticsearch():
    from elasticsearch import Elasticsearch

    client = Elasticsearch(
        settings.ELASTICSEARCH_URL, request_timeout=TIMEOUT_SECONDS, max_retries=0
    )
    try:
        # The cluster may be yellow (a single node); red means data is missing.
        health = client.cluster.health(timeout=f"{TIMEOUT_SECONDS}s")
        if health["status"] == "red":
            raise RuntimeError("cluster status red")
    finally:
        client.close()


def _check_storage():
    for alias in STORAGES_CHECKED:
        storage = storages[alias]
        name = storage.save(f"readyz-{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
        storage.delete(name)


def readiness_checks() -> dict:
    """name -> check, or None when the dependency is not configured here."""
    return {
        "database": _check_database,
        "redis": _check_redis if redis_urls() else None,
        "elasticsearch": _check_elasticsearch if settings.ELASTICSEARCH_URL else None,
        "storage": _check_storage,
    }


def _run(name, check) -> dict:
    if check is None:
        return {"status": OFF}
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        logger.warning("readiness check %s failed", name, exc_info=True)
        # The exception's class only: the body is public, the log has the rest.
        result = {"status": FAILED, "error": type(exc).__name__}
    else:
        result = {"status": OK}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _answer(checks: dict) -> JsonResponse:
    ok = all(check["status"] != FAILED for check in checks.values())
    response = JsonResponse({"status": OK if ok else FAILED, "checks": checks})
    response.status_code = 200 if ok else 503
    add_never_cache_headers(response)
    return response


def healthz() -> JsonResponse:
    started = time.perf_counter()
    process = {"status": OK, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return _answer({"process": process})


def readyz() -> JsonResponse:
    return _answer({name: _run(name, check) for name, check in readiness_checks().items()})


ENDPOINTS = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        endpoint = ENDPOINTS.get(request.path_info.rstrip("/"))
        if endpoint is None:
            return self.get_response(request)
        return endpoint()
