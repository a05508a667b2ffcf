"""Headless Chromium (Debian's, not a Playwright download) driven by Playwright's
sync API against pytest-django's ``live_server``.

While Playwright's sync API is started, its asyncio event loop counts as
*running* in the main thread (it is parked in a greenlet). That has two effects
on Django code the test runs in the main thread (factories, assertions):

1. Every ORM call raises SynchronousOnlyOperation. Nothing runs concurrently
   with those calls, so the check is a false alarm here: DJANGO_ALLOW_ASYNC_UNSAFE
   switches it off — only while Playwright runs (Django reads the variable at
   each call), not for the rest of the suite.
2. ``django.db.connections`` is an asgiref ``Local(thread_critical=True)``: with
   a running loop it hands out a *second* connection object, not the one
   pytest-django set up. That one lacks the session-start snapshot, so a
   serialized-rollback restore or flush done while Playwright runs silently
   restores nothing. Playwright therefore lives per test, strictly inside the
   database fixtures, and the second connection is closed before it stops.
"""

import os
import re
import shutil

import pytest

from tests.support.browser import DEFAULT_TIMEOUT_MS, RESULTS_DIR
from tests.support.csp import record_csp_violations
from tests.support.oversight import programme  # noqa: F401  (the oversight journey's data)

CHROMIUM_ARGS = [
    # We run as root in a container: Chromium refuses its sandbox there.
    "--no-sandbox",
    "--disable-gpu",
    # /dev/shm is tiny in containers; Chromium crashes tabs when it fills up.
    "--disable-dev-shm-usage",
    # The network is closed: no update checks, sync or first-run fetches.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    return path if os.access(path, os.X_OK) else shutil.which(path)


def _unavailable(message: str):
    if os.environ.get("CI"):
        pytest.fail(f"E2E: {message} (CI is set, so this is an error, not a skip)", pytrace=False)
    pytest.skip(f"!!! E2E TESTS SKIPPED: {message} !!!")


@pytest.fixture
def storefront(transactional_db):
    """The rows the data migrations create, restored before each test by
    serialized_rollback: the Wagtail home page with its default Site (cms 0002)
    and the CN shipping country (producers 0002)."""
    from wagtail.models import Site

    from cms.models import HomePage
    from regions.selectors import region_shipping_country

    site = Site.objects.filter(is_default_site=True).first()
    if site is None or not HomePage.objects.filter(pk=site.root_page_id).exists():
        pytest.fail(
            "The test database has no Wagtail home page/default Site (cms migration 0002): "
            "this --reuse-db database was emptied by an earlier run's transactional tests, "
            "so the snapshot is empty too. Rerun once with --create-db.",
            pytrace=False,
        )
    return {"site": site, "country": region_shipping_country()}


@pytest.fixture
def browser(storefront):
    executable = _chromium_path()
    if executable is None:
        _unavailable(
            f"no Chromium at CHROMIUM_PATH={os.environ.get('CHROMIUM_PATH', '/usr/bin/chromium')!r};"
            " install Debian's chromium package (make test-deps)"
        )
    from django.db import connections
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see the module docstring
        playwright = sync_playwright().start()
        try:
            try:
                browser = playwright.chromium.launch(
                    executable_path=executable, headless=True, args=CHROMIUM_ARGS
                )
            except PlaywrightError as exc:
                _unavailable(f"Chromium at {executable} did not start: {exc}")
            yield browser
            browser.close()
        finally:
            connections.close_all()  # the loop-time second connection, see above
            playwright.stop()


@pytest.fixture
def csp_violations() -> list[str]:
    """Content-Security-Policy violations in the test's browser contexts (the
    page fixture's, and any a test records with record_csp_violations)."""
    return []


@pytest.fixture
def page(browser, live_server, request, csp_violations):
    """A fresh browser context (own cookies, so own basket) based at the live
    server. The last page is saved to test-results/<test>.png, pass or fail."""
    from playwright.sync_api import expect

    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    record_csp_violations(context, csp_violations)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    try:
        RESULTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        page.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)
    finally:
        context.close()
