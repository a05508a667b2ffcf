"""Constants the browser tests share: how long to wait, and where pictures go."""

from pathlib import Path

DEFAULT_TIMEOUT_MS = 10_000
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
