"""Text messages (SMS) behind a pluggable backend, the way django.core.mail
sends e-mail: ``SMS_BACKEND`` names the backend class by dotted path —
``console`` prints each message (development, ``make run``), ``locmem`` keeps
them in ``common.sms.outbox`` (tests), ``aliyun`` sends them through Alibaba
Cloud's SMS service (production, configured by the ``SMS_ALIYUN_*`` settings)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

# Messages sent through the locmem backend, oldest first (like mail.outbox).
outbox: list["SmsMessage"] = []


class SmsSendError(Exception):
    """The provider did not accept a message (refused, unreachable, misconfigured)."""


@dataclass(frozen=True)
class SmsMessage:
    """One message to one mainland mobile number. ``text`` is the full wording
    (what the console and locmem backends show); providers that only send
    pre-approved templates (Aliyun) send ``template_params`` into theirs."""

    phone: str
    text: str
    template_params: dict = field(default_factory=dict)


def get_sms_connection(backend: str | None = None, *, fail_silently: bool = False, **kwargs):
    """An instance of the backend named by ``backend`` or ``SMS_BACKEND``."""
    return import_string(backend or settings.SMS_BACKEND)(fail_silently=fail_silently, **kwargs)


def send_sms(
    phone: str,
    text: str,
    *,
    template_params: dict | None = None,
    fail_silently: bool = False,
    connection=None,
) -> int:
    """Send one message; the number of messages sent (0 or 1). Raises
    SmsSendError when the backend fails, unless ``fail_silently``."""
    connection = connection or get_sms_connection(fail_silently=fail_silently)
    return connection.send_messages([SmsMessage(phone, text, dict(template_params or {}))])
