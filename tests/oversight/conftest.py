"""The golden programme (tests/support/oversight.py) for the figure and bulletin tests."""

from tests.support.oversight import programme  # noqa: F401
