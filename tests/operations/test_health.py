"""/healthz says the process answers; /readyz that its dependencies do."""

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db

DEAD = "127.0.0.1:9"  # discard port: nothing listens there


def test_healthz_answers_without_touching_the_database(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_probes_answer_by_ip_address_and_plain_http(client, settings):
    # A load balancer probes the node's address over HTTP: neither the host
    # check nor the HTTPS redirect may stand in the way.
    settings.ALLOWED_HOSTS = ["shop.example.cn"]
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz", "/readyz", "/readyz/"):
        response = client.get(path, HTTP_HOST="10.0.0.7:8001")
        assert response.status_code == 200, (path, response.status_code)


def test_readyz_checks_database_and_storage_and_skips_what_is_not_configured(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    checks = body["checks"]
    assert checks["database"]["status"] == "ok" and checks["database"]["ms"] >= 0
    assert checks["storage"]["status"] == "ok"
    assert checks["redis"] == {"status": "off"}
    assert checks["elasticsearch"] == {"status": "off"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_fails_when_the_database_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failed"
    assert body["checks"]["database"]["status"] == "failed"
    # The public body names the kind of failure only, never its details.
    assert body["checks"]["database"]["error"] == "OperationalError"
    assert "refused" not in response.content.decode()


def test_readyz_fails_when_configured_redis_is_down(client, settings):
    settings.REDIS_URL = f"redis://{DEAD}/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["status"] == "failed"


def test_readyz_fails_when_configured_elasticsearch_is_down(client, settings):
    settings.ELASTICSEARCH_URL = f"http://{DEAD}"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["elasticsearch"]["status"] == "failed"


def test_readyz_fails_when_storage_cannot_be_written(client, settings, tmp_path):
    not_a_directory = tmp_path / "media"
    not_a_directory.write_text("a file where the media directory should be")
    settings.MEDIA_ROOT = str(not_a_directory)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["status"] == "failed"


def test_readyz_passes_with_real_redis_and_elasticsearch(
    client, settings, redis_url, elasticsearch_url
):
    settings.REDIS_URL = redis_url
    settings.ELASTICSEARCH_URL = elasticsearch_url
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    checks = response.json()["checks"]
    assert checks["redis"]["status"] == "ok"
    assert checks["elasticsearch"]["status"] == "ok"
