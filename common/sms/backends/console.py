"""Prints each message to standard output (the terminal running ``make run``)
and logs it: development without an SMS provider."""

import logging
import sys
import threading

from common.sms.backends.base import BaseSmsBackend

logger = logging.getLogger(__name__)


class SmsBackend(BaseSmsBackend):
    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, messages) -> int:
        with self._lock:
            for message in messages:
                self.stream.write(f"[SMS] to {message.phone}: {message.text}\n")
                self.stream.flush()
                logger.info("SMS to %s written to the console", message.phone)
        return len(messages)
