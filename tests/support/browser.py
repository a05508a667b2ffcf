"""What the browser tests share: how long to wait, where pictures go, and
signing in as a user made by the factories."""

import re
from pathlib import Path

DEFAULT_TIMEOUT_MS = 10_000
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"


def sign_in(page, user) -> None:
    """Sign ``user`` in through the login form, in a context of its own cookies."""
    from playwright.sync_api import expect

    from tests.factories import DEFAULT_PASSWORD

    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator('input[name="login-username"]').fill(user.email)
    page.locator('input[name="login-password"]').fill(DEFAULT_PASSWORD)
    page.locator('form:has(input[name="login-username"]) button[type=submit]').click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
