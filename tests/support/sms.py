"""An SMS backend whose provider refuses every message."""

from common.sms import SmsSendError
from common.sms.backends.base import BaseSmsBackend


class FailingSmsBackend(BaseSmsBackend):
    def send_messages(self, messages) -> int:
        raise SmsSendError("refused")
