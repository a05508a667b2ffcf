"""A producer imports a 5,000-row catalogue file in a real browser, and a real
Celery worker (a thread of this process, solo pool, on the test Redis) does
the import: the upload returns at once with the job's page, the page's script
shows the rows checked and applied moving, and the per-row result appears when
the job is done.

Skipped without Redis outside CI, failed under CI (tests/conftest.py)."""

import io
import re
import time

import pytest
from celery import _state as celery_state
from oscar.core.loading import get_model
from playwright.sync_api import expect

from catalogue.importers import COLUMNS, MAX_ROWS
from catalogue.models import CatalogueImportJob
from tests.factories import CategoryFactory
from tests.factories.producers import producer_with_user
from tests.support.browser import sign_in

Product = get_model("catalogue", "Product")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROWS = MAX_ROWS
# How long the whole import may take on a loaded two-CPU machine.
IMPORT_TIMEOUT_MS = 40 * 60 * 1000


@pytest.fixture
def worker_for_every_thread(celery_worker):
    """The live server answers requests in a thread of its own, where Celery's
    per-thread current app is unset: make the worker's app the default so the
    upload request queues the job through Redis to it."""
    previous = celery_state.default_app
    celery_worker.set_default()
    yield celery_worker
    celery_state.set_default_app(previous)
    # The import's commit queued the search outbox run: let the worker finish
    # it before the test's tables are emptied, or the two deadlock.
    _wait_until_idle(celery_worker)


def _wait_until_idle(app, timeout: float = 600) -> None:
    """Until the worker answers with no task running and the outbox is empty
    (a solo worker answers control messages only between tasks)."""
    from search.models import IndexOutbox

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.inspect(timeout=1).active() or {}
        if replies and not any(replies.values()) and not IndexOutbox.objects.exists():
            return
        time.sleep(0.5)
    raise AssertionError("the test worker did not finish its tasks")


def catalogue_xlsx(producer, category, rows: int) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([c.header for c in COLUMNS])
    for i in range(rows):
        sheet.append([f"E2E-{i:05d}", f"柞水黑木耳 {i}", category.full_name, "椴木栽培，自然晾晒。",
                      producer.county.code, "250g", "礼盒装", "24个月", "阴凉干燥处",
                      f"{39 + i % 50}.90", 100])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_5000_row_file_is_imported_in_the_background_with_progress_shown(
    page, live_server, worker_for_every_thread, csp_violations
):
    producer, user = producer_with_user()
    category = CategoryFactory(name="干货").add_child(name="木耳")
    content = catalogue_xlsx(producer, category, ROWS)
    sign_in(page, user)

    page.goto(f"/producers/workspace/{producer.pk}/catalogue/import/")
    page.locator('input[name="file"]').set_input_files(
        {"name": "商品.xlsx", "mimeType": "application/octet-stream", "buffer": content}
    )
    page.get_by_role("button", name="上传并导入").click()

    # The upload returns at once: the job page, with the job still running.
    # (The request reads the file once for its shape: 5,000 rows take a few
    # seconds on a loaded machine.)
    expect(page).to_have_url(re.compile(r"/catalogue/import/\d+/$"), timeout=60_000)
    job = CatalogueImportJob.objects.get(producer=producer)
    returned_with = job.status
    assert returned_with in CatalogueImportJob.ACTIVE
    assert page.locator("#mkt-import-job").get_attribute("data-running") == "1"
    expect(page.locator('[data-import="rows_total"]').first).to_have_text(str(ROWS))

    # The script moves the counts while the worker runs: each seen strictly
    # between nothing and everything, without reloading the page.
    expect(page.locator('[data-import="status"]')).to_have_text(
        re.compile("正在检查|正在导入"), timeout=IMPORT_TIMEOUT_MS
    )
    seen_applied = set()
    deadline = time.monotonic() + IMPORT_TIMEOUT_MS / 1000
    while time.monotonic() < deadline and page.locator("#mkt-import-job[data-running='1']").count():
        checked, applied, bar = page.locator("#mkt-import-job").evaluate(
            """root => [
                Number(root.querySelector('[data-import="rows_checked"]').textContent),
                Number(root.querySelector('[data-import="rows_applied"]').textContent),
                root.querySelector("#mkt-import-applied").value,
            ]"""
        )
        if 0 < applied < ROWS:
            # Applying starts once every row is checked; the bar shows the count.
            assert (checked, bar) == (ROWS, applied)
            seen_applied.add(applied)
            if len(seen_applied) >= 2:
                break
        page.wait_for_timeout(500)
    assert len(seen_applied) >= 2, f"applied counts seen while running: {seen_applied}"

    # Done: the page reloads itself with the result.
    expect(page.locator(".alert-success")).to_contain_text(
        f"导入完成：新增 {ROWS} 件", timeout=IMPORT_TIMEOUT_MS
    )
    job.refresh_from_db()
    assert (job.status, job.rows_applied, job.created_count) == ("done", ROWS, ROWS)
    assert Product.objects.filter(producer=producer).count() == ROWS
    assert csp_violations == []
