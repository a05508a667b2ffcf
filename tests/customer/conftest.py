import re

import pytest


@pytest.fixture
def last_code(sms_outbox):
    """The code in the newest text message sent."""

    def read() -> str:
        assert sms_outbox, "no text message was sent"
        return re.search(r"\d{6}", sms_outbox[-1].text).group()

    return read
