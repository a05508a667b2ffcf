"""Log lines as the configured console handler writes them."""

import contextlib
import io
import logging

from django.utils.module_loading import import_string

from marketplace.settings.base import logging_config


@contextlib.contextmanager
def console_lines(log_format: str):
    """Yields a list that, once the block ends, holds the lines the console
    handler of ``logging_config(log_format)`` would have written meanwhile."""
    config = logging_config(log_format)
    formatter_config = dict(config["formatters"][log_format])
    factory = formatter_config.pop("()", None)
    if factory:
        formatter = import_string(factory)(**formatter_config)
    else:
        formatter = logging.Formatter(formatter_config["format"])
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    for name in config["handlers"]["console"]["filters"]:
        handler.addFilter(import_string(config["filters"][name]["()"])())
    root = logging.getLogger()
    root.addHandler(handler)
    lines = []
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        lines.extend(stream.getvalue().splitlines())
