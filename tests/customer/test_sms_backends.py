"""The SMS backends, chosen by SMS_BACKEND like Django's e-mail backends."""

import io
import json
import urllib.parse

import pytest
from django.core.exceptions import ImproperlyConfigured

from common.sms import SmsSendError, get_sms_connection, send_sms
from common.sms.backends import aliyun, console


def test_locmem_backend_keeps_messages_in_the_outbox(sms_outbox):
    assert send_sms("13800138000", "您的验证码是 123456", template_params={"code": "123456"}) == 1
    assert [(m.phone, m.text, m.template_params) for m in sms_outbox] == [
        ("13800138000", "您的验证码是 123456", {"code": "123456"})
    ]


def test_console_backend_prints_the_message():
    stream = io.StringIO()
    connection = get_sms_connection("common.sms.backends.console.SmsBackend", stream=stream)
    send_sms("13800138000", "您的验证码是 123456", connection=connection)
    assert "[SMS] to 13800138000: 您的验证码是 123456" in stream.getvalue()
    assert isinstance(connection, console.SmsBackend)


@pytest.fixture
def aliyun_settings(settings):
    settings.SMS_ALIYUN_ACCESS_KEY_ID = "test-key-id"
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "test-secret"
    settings.SMS_ALIYUN_SIGN_NAME = "消费帮扶商城"
    settings.SMS_ALIYUN_TEMPLATE_CODE = "SMS_123456789"
    return settings


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def aliyun_backend(answer: dict, sent: list, **kwargs):
    def opener(request, timeout):
        sent.append(request)
        return FakeResponse(json.dumps(answer).encode())

    return get_sms_connection("common.sms.backends.aliyun.SmsBackend", opener=opener, **kwargs)


def test_aliyun_backend_posts_a_signed_send_sms_request(aliyun_settings):
    sent = []
    backend = aliyun_backend({"Code": "OK", "Message": "OK"}, sent)
    assert send_sms("13800138000", "…", template_params={"code": "123456"}, connection=backend) == 1

    (request,) = sent
    assert request.full_url == "https://dysmsapi.aliyuncs.com/"
    params = dict(urllib.parse.parse_qsl(request.data.decode()))
    assert params["Action"] == "SendSms"
    assert params["PhoneNumbers"] == "13800138000"
    assert params["SignName"] == "消费帮扶商城"
    assert params["TemplateCode"] == "SMS_123456789"
    assert json.loads(params["TemplateParam"]) == {"code": "123456"}
    signature = params.pop("Signature")
    assert signature == aliyun.rpc_signature(params, "test-secret")
    assert "test-secret" not in request.data.decode()


def test_aliyun_signature_matches_the_documented_example():
    # Alibaba Cloud's RPC signature example (AccessKeySecret "testsecret").
    parameters = {
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "Format": "XML",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z",
        "Version": "2014-05-26",
    }
    assert aliyun.rpc_signature(parameters, "testsecret", method="GET") == (
        "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
    )


def test_aliyun_backend_raises_when_the_provider_refuses(aliyun_settings):
    backend = aliyun_backend({"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控"}, [])
    with pytest.raises(SmsSendError, match="BUSINESS_LIMIT_CONTROL"):
        send_sms("13800138000", "…", template_params={"code": "1"}, connection=backend)


def test_aliyun_backend_refuses_to_start_without_its_keys(settings):
    settings.SMS_ALIYUN_ACCESS_KEY_ID = ""
    with pytest.raises(ImproperlyConfigured, match="SMS_ALIYUN_ACCESS_KEY_ID"):
        get_sms_connection("common.sms.backends.aliyun.SmsBackend")
