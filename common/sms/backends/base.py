class BaseSmsBackend:
    """What every SMS backend implements: ``send_messages`` returns how many of
    the messages were sent and raises ``common.sms.SmsSendError`` on failure
    unless ``fail_silently``."""

    def __init__(self, fail_silently: bool = False, **kwargs):
        self.fail_silently = fail_silently

    def send_messages(self, messages) -> int:
        raise NotImplementedError("subclasses of BaseSmsBackend must override send_messages()")
