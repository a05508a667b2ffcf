"""The task queue without a broker: periodic jobs scheduled in one table,
tasks run eagerly in their caller with its request id, failures logged with
their arguments' ids. test_task_worker.py runs them through Redis."""

import datetime
import json
import logging
import uuid
from decimal import Decimal

import pytest
from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from common.request_id import request_id_current, request_id_reset, request_id_set
from common.task_signals import task_argument_ids
from common.tasks import common_management_command
from marketplace.celery import app as celery_app
from producers.models import Certificate
from producers.tasks import producers_report_expiring_certificates
from tests.factories import ProducerFactory, StaffUserFactory, UserFactory
from tests.support.logs import console_lines


@shared_task(name="tests.request_id_echo")
def request_id_echo():
    return request_id_current()


@shared_task(name="tests.always_fails")
def always_fails(order_id, note, *, product_ids, address):
    raise ValueError("the order cannot be found")


@pytest.fixture
def request_id():
    token = request_id_set("req-task-1")
    yield "req-task-1"
    request_id_reset(token)


def expiring_certificate():
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


# --- the schedule -------------------------------------------------------------


def test_every_scheduled_job_names_a_registered_task():
    celery_app.autodiscover_tasks(force=True)
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in celery_app.tasks, name


def test_the_periodic_jobs_are_scheduled():
    tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks["payments.expire_unpaid"].minute == set(range(0, 60, 5))
    assert tasks["search.refresh_certificates"].hour == {0}
    assert tasks["search.apply_outbox"].minute == set(range(60))
    assert tasks["producers.report_expiring_certificates"].hour == {8}
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


# --- eager, as in make run and the rest of the suite ---------------------------


@pytest.mark.django_db
def test_without_a_broker_a_task_runs_at_once_in_the_caller():
    expiring_certificate()
    result = producers_report_expiring_certificates.delay()
    assert result.get() == {"certificates": 1, "producers": 1, "emails": 2}
    assert sorted(m.to[0] for m in mail.outbox) == ["coop@example.com", "ops@example.com"]


@pytest.mark.django_db
def test_the_command_task_runs_a_management_command():
    output = common_management_command.delay("payments_expire_unpaid").get()
    assert "orders unpaid after 30 minutes cancelled" in output


def test_an_eager_task_keeps_the_request_id_of_its_caller(request_id):
    assert request_id_echo.delay().get() == "req-task-1"
    assert request_id_current() == "req-task-1"


def test_a_failed_task_is_logged_with_its_name_and_argument_ids(caplog, request_id):
    with caplog.at_level(logging.ERROR, logger="marketplace.tasks"), console_lines("json") as lines:
        result = always_fails.delay(
            42,
            "a long free-text note that is not an id " * 3,
            product_ids=[7, 9],
            address={"name": "张三", "phone": "13800000000"},
        )
    # The caller goes on, as with a worker; waiting for the result raises.
    with pytest.raises(ValueError):
        result.get()
    (record,) = [r for r in caplog.records if r.name == "marketplace.tasks"]
    assert record.task_name == "tests.always_fails"
    assert record.task_args == [42, "<str>"]
    assert record.task_kwargs == {"address": "<dict>", "product_ids": [7, 9]}
    assert "tests.always_fails" in record.getMessage()
    assert "ValueError" in record.getMessage()
    assert record.exc_info[0] is ValueError
    (line,) = [json.loads(x) for x in lines if '"marketplace.tasks"' in x]
    assert line["request_id"] == "req-task-1"
    assert line["task_name"] == "tests.always_fails"
    assert line["task_kwargs"] == {"address": "<dict>", "product_ids": [7, 9]}
    assert "the order cannot be found" not in line["message"]


def test_only_ids_of_task_arguments_reach_the_log():
    user = get_user_model()(pk=31)
    logged = task_argument_ids(
        ("100042", "张三", "buyer@example.com", Decimal("12.50"), user, None),
        {"uuid": uuid.UUID(int=1), "lines": [{"sku": "A"}], "flag": True},
    )
    assert logged == {
        "args": ["100042", "<str>", "<str>", "12.50", 31, None],
        "kwargs": {
            "flag": True,
            "lines": ["<dict>"],
            "uuid": "00000000-0000-0000-0000-000000000001",
        },
    }
