"""A real Celery worker runs tasks queued through Redis, under the request id
of the code that queued them (scripts/redis-server.sh; skipped without Redis
outside CI, failed under CI)."""

import datetime
import logging

import pytest
from celery import shared_task
from django.core import mail
from django.utils import timezone

from common.request_id import request_id_current, request_id_reset, request_id_set
from producers.models import Certificate
from producers.tasks import producers_report_expiring_certificates
from tests.factories import ProducerFactory, StaffUserFactory, UserFactory


@shared_task(name="tests.worker_request_id_echo")
def request_id_echo():
    return request_id_current()


@pytest.fixture
def request_id():
    token = request_id_set("req-worker-1")
    yield "req-worker-1"
    request_id_reset(token)


def test_a_worker_runs_a_task_queued_through_redis_under_the_callers_request_id(
    celery_worker, request_id
):
    result = request_id_echo.delay()
    assert result.backend.__class__.__name__ == "RedisBackend"
    assert result.get(timeout=60) == "req-worker-1"


def test_the_worker_logs_the_arguments_of_a_task_as_ids_only(celery_worker, caplog):
    from common.tasks import common_send_mail

    with caplog.at_level(logging.INFO):
        common_send_mail.delay(
            "合作社的订单", "张三 13800000000 的地址", ["buyer@example.com"]
        ).get(timeout=60)
    received = [r for r in caplog.records if "received" in r.getMessage()]
    assert received
    logged = "\n".join(str(r.__dict__) for r in caplog.records)
    assert "13800000000" not in logged
    assert "buyer@example.com" not in logged
    assert "['<str>', '<str>', ['<str>']]" in logged


def test_a_job_started_by_beat_gets_a_request_id_of_its_own(celery_worker):
    first = request_id_echo.delay().get(timeout=60)
    second = request_id_echo.delay().get(timeout=60)
    assert first and second and first != second


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_the_certificate_report_through_redis(celery_worker):
    StaffUserFactory(email="ops@example.com")
    producer = ProducerFactory()
    producer.partner.users.add(UserFactory(email="coop@example.com"))
    Certificate.objects.create(
        producer=producer,
        kind=Certificate.Kind.GREEN_FOOD,
        number="GF-SOON",
        issuer="中国绿色食品发展中心",
        valid_from=datetime.date(2023, 1, 1),
        valid_until=timezone.localdate() + datetime.timedelta(days=3),
    )
    result = producers_report_expiring_certificates.delay(within_days=30)
    assert result.get(timeout=60) == {"certificates": 1, "producers": 1, "emails": 2}
    assert sorted(m.to[0] for m in mail.outbox) == ["coop@example.com", "ops@example.com"]


@pytest.mark.django_db(transaction=True)
def test_a_worker_applies_the_search_outbox_that_a_commit_queued(celery_worker):
    from search.models import IndexOutbox, ProductSearchEntry
    from search.tasks import search_apply_outbox
    from tests.factories import product_with_stock

    # Each save commits (autocommit) and queues search.apply_outbox through Redis.
    product = product_with_stock(title="柞水黑木耳 250g")
    # The solo worker takes tasks in order: once this one is done, so are they.
    search_apply_outbox.delay().get(timeout=60)

    assert not IndexOutbox.objects.exists()
    assert ProductSearchEntry.objects.get(pk=product.pk).title == "柞水黑木耳 250g"
