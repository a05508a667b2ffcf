"""The golden programme of test_figures, shared with the bulletin tests."""

from tests.oversight.test_figures import programme  # noqa: F401
