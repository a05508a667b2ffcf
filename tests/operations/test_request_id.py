"""Every request has an id: taken from a sane X-Request-ID, made otherwise,
returned in the response and written on every log line the request causes."""

import json
import logging
import re

import pytest
from django.core.exceptions import ImproperlyConfigured

from common.request_id import request_id_accept, request_id_current
from marketplace.settings.base import logging_config
from tests.support.logs import console_lines

pytestmark = pytest.mark.django_db

HEX_ID = re.compile(r"[0-9a-f]{32}")


def test_a_request_without_an_id_gets_a_new_one_in_the_response(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert HEX_ID.fullmatch(first) and HEX_ID.fullmatch(second)
    assert first != second


def test_a_sane_incoming_id_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a:2026.12-02_x"})
    assert response["X-Request-ID"] == "lb-7f3a:2026.12-02_x"


@pytest.mark.parametrize(
    "incoming",
    ["", "has space", "semi;colon", "x" * 129, "new\nline", "中文"],
)
def test_an_insane_incoming_id_is_replaced(incoming):
    assert HEX_ID.fullmatch(request_id_accept(incoming))


def test_no_id_outlives_its_request(client):
    client.get("/healthz", headers={"X-Request-ID": "req-done"})
    assert request_id_current() is None


def test_json_log_lines_carry_the_request_id(client):
    # The 404 is logged by Django after the middleware chain has returned.
    with console_lines("json") as lines:
        client.get("/no-such-page-here/", headers={"X-Request-ID": "req-json-1"})
    records = [json.loads(line) for line in lines]
    not_found = [r for r in records if r["logger"] == "django.request"]
    assert not_found, records
    assert not_found[0]["request_id"] == "req-json-1"
    assert not_found[0]["level"] == "WARNING"
    assert "Not Found" in not_found[0]["message"]


def test_text_log_lines_carry_the_request_id(client):
    with console_lines("text") as lines:
        client.get("/no-such-page-here/", headers={"X-Request-ID": "req-text-1"})
    assert any("[req-text-1] django.request: Not Found" in line for line in lines), lines


def test_a_line_outside_any_request_says_so():
    with console_lines("json") as lines:
        logging.getLogger("marketplace.test").warning("outside")
    assert json.loads(lines[-1])["request_id"] == "-"


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ImproperlyConfigured):
        logging_config("xml")
