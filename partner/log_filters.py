"""A sell-out is business as usual, not an error to page anyone about."""

import logging

from partner.exceptions import InsufficientStock


class SellOutIsInformation(logging.Filter):
    """Oscar's checkout logs every order it cannot place as an ERROR with a
    traceback; when the reason is that someone else bought the last units
    (``InsufficientStock`` at the stock lock), the record becomes one INFO line."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, InsufficientStock):
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
            record.exc_info = record.exc_text = None
            record.stack_info = None
        return True
