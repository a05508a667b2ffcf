"""Alibaba Cloud SMS (阿里云短信服务, API ``SendSms`` version 2017-05-25) over
plain HTTPS, signed with the RPC signature (HMAC-SHA1 of the sorted, percent-
encoded parameters). Aliyun sends only pre-approved templates: each message's
``template_params`` (``{"code": "123456"}``) fill ``SMS_ALIYUN_TEMPLATE_CODE``,
and ``SMS_ALIYUN_SIGN_NAME`` is the approved signature (签名) shown as 【…】."""

import base64
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from common.sms import SmsSendError
from common.sms.backends.base import BaseSmsBackend

logger = logging.getLogger(__name__)

API_VERSION = "2017-05-25"


def percent_encode(value: str) -> str:
    # RFC 3986 as Aliyun's signature wants it: only A-Z a-z 0-9 - _ . ~ stay.
    return urllib.parse.quote(str(value), safe="-_.~")


def rpc_signature(parameters: dict[str, str], secret: str, method: str = "POST") -> str:
    canonical = "&".join(
        f"{percent_encode(key)}={percent_encode(parameters[key])}" for key in sorted(parameters)
    )
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class SmsBackend(BaseSmsBackend):
    def __init__(self, *args, opener=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.access_key_id = settings.SMS_ALIYUN_ACCESS_KEY_ID
        self.access_key_secret = settings.SMS_ALIYUN_ACCESS_KEY_SECRET
        self.sign_name = settings.SMS_ALIYUN_SIGN_NAME
        self.template_code = settings.SMS_ALIYUN_TEMPLATE_CODE
        self.endpoint = settings.SMS_ALIYUN_ENDPOINT
        self.timeout = settings.SMS_ALIYUN_TIMEOUT
        missing = [
            name
            for name, value in (
                ("SMS_ALIYUN_ACCESS_KEY_ID", self.access_key_id),
                ("SMS_ALIYUN_ACCESS_KEY_SECRET", self.access_key_secret),
                ("SMS_ALIYUN_SIGN_NAME", self.sign_name),
                ("SMS_ALIYUN_TEMPLATE_CODE", self.template_code),
            )
            if not value
        ]
        if missing:
            raise ImproperlyConfigured(f"The Aliyun SMS backend needs {', '.join(missing)}.")
        self.opener = opener or urllib.request.urlopen

    def parameters(self, message) -> dict[str, str]:
        return {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": message.phone,
            "RegionId": "cn-hangzhou",
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": self.template_code,
            "TemplateParam": json.dumps(message.template_params, ensure_ascii=False),
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
        }

    def _send(self, message) -> None:
        parameters = self.parameters(message)
        parameters["Signature"] = rpc_signature(parameters, self.access_key_secret)
        request = urllib.request.Request(
            self.endpoint,
            data=urllib.parse.urlencode(parameters).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with self.opener(request, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as error:
            try:
                answer = json.loads(error.read().decode() or "{}")
            except ValueError:
                answer = {"Code": f"HTTP {error.code}"}
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            raise SmsSendError(f"Aliyun SMS unreachable: {error}") from error
        if answer.get("Code") != "OK":
            raise SmsSendError(
                f"Aliyun SMS refused the message: {answer.get('Code')} {answer.get('Message', '')}"
            )

    def send_messages(self, messages) -> int:
        sent = 0
        for message in messages:
            try:
                self._send(message)
            except SmsSendError:
                if not self.fail_silently:
                    raise
                logger.exception("SMS to %s not sent", message.phone)
                continue
            sent += 1
        return sent
