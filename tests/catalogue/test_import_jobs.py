"""The catalogue import as a background job (``catalogue.import_jobs``): the
upload request checks the file's shape and queues a job; the job's task runs
the importer, reporting progress, and records the result or every row's
problem. One import per producer at a time; a silent job is shown as failed."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connections, transaction
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue import import_jobs, importers
from catalogue.exceptions import (
    CatalogueImportRejected,
    CatalogueImportRunning,
    ListingPermissionDenied,
)
from catalogue.import_jobs import (
    ImportProgressReporter,
    catalogue_import_run,
    catalogue_import_submit,
)
from catalogue.models import CatalogueImportJob
from catalogue.rules import catalogue_import_is_stale, catalogue_import_status_shown
from catalogue.tasks import catalogue_run_import
from tests.factories import CategoryFactory, ProducerFactory, StaffUserFactory, UserFactory
from tests.factories.producers import producer_with_user
from tests.support.catalogue_import import csv_bytes, row, upload, xlsx_bytes

Product = get_model("catalogue", "Product")
Status = CatalogueImportJob.Status


@pytest.fixture
def muer(db):
    return CategoryFactory(name="干货").add_child(name="木耳")


@pytest.fixture
def seller(muer):
    return producer_with_user()


def _file(count, *, bad_row=None):
    rows = [row(f"JOB-{i:04d}") for i in range(count)]
    if bad_row is not None:
        rows[bad_row][9] = "不要钱"
    return upload(xlsx_bytes(rows))


def _age(job, minutes):
    # updated_at is auto_now: only an update() sets it in the past.
    CatalogueImportJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    job.refresh_from_db()


# --- the services ---------------------------------------------------------------


@pytest.mark.both_databases
@pytest.mark.django_db
def test_a_submitted_file_is_queued_on_commit_and_imported_by_its_job(
    seller, private_root, django_capture_on_commit_callbacks
):
    producer, user = seller
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = catalogue_import_submit(producer=producer, actor=user, upload=_file(3))
        # Nothing runs before the commit: the request returns with the job queued.
        assert CatalogueImportJob.objects.get(pk=job.pk).status == Status.QUEUED

    assert callbacks[0].func is import_jobs._queue
    job.refresh_from_db()
    assert job.status == Status.DONE
    assert (job.rows_total, job.rows_checked, job.rows_applied) == (3, 3, 3)
    assert (job.created_count, job.updated_count, job.unchanged_count) == (3, 0, 0)
    assert job.outcomes == [[2, "JOB-0000", "created"], [3, "JOB-0001", "created"],
                            [4, "JOB-0002", "created"]]  # fmt: skip
    assert job.started_at and job.finished_at
    assert Product.objects.filter(producer=producer).count() == 3
    # The file sits in the private storage, under a name the server chose.
    assert job.file.name.startswith("catalogue-imports/") and job.file.name.endswith(".xlsx")
    assert (private_root / job.file.name).exists()
    assert job.file_name == "商品.xlsx"


@pytest.mark.django_db
def test_the_importer_reports_every_row_checked_then_applied(seller):
    producer, user = seller
    seen = []

    def progress(*, stage, done, total):
        seen.append((stage, done, total))

    importers.CatalogueImporter(producer=producer, actor=user).import_file(
        _file(3), progress=progress
    )

    assert seen == [
        ("checking", 0, 3), ("checking", 1, 3), ("checking", 2, 3), ("checking", 3, 3),
        ("applying", 0, 3), ("applying", 1, 3), ("applying", 2, 3), ("applying", 3, 3),
    ]  # fmt: skip


@pytest.mark.django_db
def test_the_reporter_writes_checked_rows_and_the_switch_to_applying(seller, private_root):
    producer, user = seller
    job = catalogue_import_submit(producer=producer, actor=user, upload=_file(2), queue=False)
    CatalogueImportJob.objects.filter(pk=job.pk).update(status=Status.CHECKING)
    report = ImportProgressReporter(job.pk, interval=3600)

    report(stage="checking", done=0, total=2)
    report(stage="checking", done=1, total=2)  # within the interval: not written
    job.refresh_from_db()
    assert (job.rows_total, job.rows_checked) == (2, 0)
    report(stage="checking", done=2, total=2)  # a stage's last row always is
    job.refresh_from_db()
    assert job.rows_checked == 2
    report(stage="applying", done=0, total=2)
    job.refresh_from_db()
    assert (job.status, job.rows_checked, job.rows_applied) == (Status.APPLYING, 2, 0)


@pytest.mark.django_db(transaction=True)
def test_applied_rows_are_visible_to_others_while_the_apply_transaction_is_open(
    muer, private_root, monkeypatch
):
    """The apply phase is one transaction; the applied count is seen outside it."""
    producer, user = producer_with_user()
    job = catalogue_import_submit(producer=producer, actor=user, upload=_file(6), queue=False)
    monkeypatch.setattr(import_jobs, "PROGRESS_INTERVAL", 0)
    seen_by_another_connection = []
    real_apply = importers._apply

    def apply_and_look(change, **kwargs):
        outcome = real_apply(change, **kwargs)
        if change.sku == "JOB-0004":

            def look():
                try:
                    found = CatalogueImportJob.objects.get(pk=job.pk)
                    products = Product.objects.filter(producer=producer).count()
                    seen_by_another_connection.append((found.status, found.rows_applied, products))
                finally:
                    connections.close_all()

            watcher = threading.Thread(target=look)
            watcher.start()
            watcher.join()
        return outcome

    monkeypatch.setattr(importers, "_apply", apply_and_look)

    job = catalogue_import_run(job_id=job.pk)

    # Row 5 is being written: four rows reported applied, none committed yet.
    assert seen_by_another_connection == [(Status.APPLYING, 4, 0)]
    assert (job.status, job.rows_applied) == (Status.DONE, 6)
    assert Product.objects.filter(producer=producer).count() == 6


@pytest.mark.django_db
def test_a_bad_row_rejects_the_whole_file_and_the_job_keeps_every_problem(
    seller, private_root, django_capture_on_commit_callbacks
):
    producer, user = seller
    with django_capture_on_commit_callbacks(execute=True):
        job = catalogue_import_submit(producer=producer, actor=user, upload=_file(4, bad_row=2))

    job.refresh_from_db()
    assert job.status == Status.REJECTED
    assert job.errors == [[4, "价格（元）", "价格“不要钱”不是数字。", "price_not_number"]]
    assert (job.rows_checked, job.rows_applied, job.created_count) == (4, 0, 0)
    assert not Product.objects.filter(producer=producer).exists()


@pytest.mark.django_db
def test_a_row_the_listing_services_refuse_rolls_back_the_rows_written_before_it(
    seller, private_root, monkeypatch
):
    from catalogue.exceptions import DuplicateSku

    producer, user = seller
    job = catalogue_import_submit(producer=producer, actor=user, upload=_file(3), queue=False)
    real_apply = importers._apply

    def refuse_the_last(change, **kwargs):
        if change.sku == "JOB-0002":
            raise DuplicateSku(params={"sku": change.sku})
        return real_apply(change, **kwargs)

    monkeypatch.setattr(importers, "_apply", refuse_the_last)

    job = catalogue_import_run(job_id=job.pk)

    assert job.status == Status.REJECTED
    assert [e[3] for e in job.errors] == ["sku_taken"]
    assert job.rows_applied == 0
    assert not Product.objects.filter(producer=producer).exists()


@pytest.mark.django_db
def test_a_file_of_the_wrong_shape_is_refused_in_the_request_and_stores_nothing(
    seller, private_root, monkeypatch
):
    producer, user = seller
    monkeypatch.setattr(importers, "MAX_ROWS", 2)

    with pytest.raises(CatalogueImportRejected) as too_many:
        catalogue_import_submit(producer=producer, actor=user, upload=_file(3))
    with pytest.raises(CatalogueImportRejected) as pdf:
        catalogue_import_submit(producer=producer, actor=user, upload=upload(b"%PDF-1.4 x"))
    with pytest.raises(CatalogueImportRejected) as header:
        catalogue_import_submit(
            producer=producer, actor=user, upload=upload(csv_bytes([["x"]], headers=["商品编码"]))
        )

    assert [e.code for e in too_many.value.errors] == ["too_many_rows"]
    assert [e.code for e in pdf.value.errors] == ["file_wrong_kind"]
    assert {e.code for e in header.value.errors} == {"column_missing"}
    assert not CatalogueImportJob.objects.exists()
    assert not private_root.exists() or not any(private_root.rglob("*.*"))


@pytest.mark.django_db
def test_only_the_producers_users_may_submit(seller, private_root):
    producer, _user = seller
    with pytest.raises(ListingPermissionDenied):
        catalogue_import_submit(producer=producer, actor=UserFactory(), upload=_file(1))
    assert not CatalogueImportJob.objects.exists()


@pytest.mark.django_db
def test_a_second_upload_while_one_runs_is_refused_and_changes_nothing(seller, private_root):
    producer, user = seller
    first = catalogue_import_submit(producer=producer, actor=user, upload=_file(2), queue=False)
    stored = sorted(private_root.rglob("*.xlsx"))

    for status in (Status.QUEUED, Status.CHECKING, Status.APPLYING):
        CatalogueImportJob.objects.filter(pk=first.pk).update(status=status)
        with pytest.raises(CatalogueImportRunning) as refused:
            catalogue_import_submit(producer=producer, actor=user, upload=_file(2))
        assert refused.value.code == "catalogue_import_running"
        assert refused.value.job == first
        assert timezone.localtime(first.created_at).strftime("%H:%M") in str(refused.value)

    assert list(CatalogueImportJob.objects.values_list("pk", flat=True)) == [first.pk]
    assert sorted(private_root.rglob("*.xlsx")) == stored
    # Another producer is not held up.
    other, other_user = producer_with_user()
    catalogue_import_submit(producer=other, actor=other_user, upload=_file(1), queue=False)
    # Once the first has finished, the next may start.
    CatalogueImportJob.objects.filter(pk=first.pk).update(status=Status.DONE)
    catalogue_import_submit(producer=producer, actor=user, upload=_file(1), queue=False)


@pytest.mark.django_db
def test_the_database_refuses_two_active_imports_of_one_producer(seller, private_root):
    producer, user = seller
    job = catalogue_import_submit(producer=producer, actor=user, upload=_file(1), queue=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        CatalogueImportJob.objects.create(
            producer=producer, actor=user, file=job.file.name, status=Status.APPLYING
        )


@pytest.mark.django_db
def test_a_job_silent_for_longer_than_the_limit_is_shown_failed_and_no_longer_blocks(
    seller, private_root, settings
):
    settings.CATALOGUE_IMPORT_STALE_MINUTES = 10
    producer, user = seller
    stuck = catalogue_import_submit(producer=producer, actor=user, upload=_file(1), queue=False)
    CatalogueImportJob.objects.filter(pk=stuck.pk).update(status=Status.APPLYING)
    _age(stuck, 9)
    assert not catalogue_import_is_stale(stuck)
    assert catalogue_import_status_shown(stuck) == Status.APPLYING
    with pytest.raises(CatalogueImportRunning):
        catalogue_import_submit(producer=producer, actor=user, upload=_file(1))

    _age(stuck, 11)
    assert catalogue_import_is_stale(stuck)
    assert catalogue_import_status_shown(stuck) == Status.FAILED
    finished = CatalogueImportJob(status=Status.DONE, updated_at=stuck.updated_at)
    assert not catalogue_import_is_stale(finished)

    fresh = catalogue_import_submit(producer=producer, actor=user, upload=_file(1), queue=False)

    stuck.refresh_from_db()
    assert (stuck.status, stuck.failure) == (Status.FAILED, "timed_out")
    assert fresh.status == Status.QUEUED


@pytest.mark.django_db
def test_a_job_given_up_before_its_worker_starts_is_not_run(seller, private_root):
    producer, user = seller
    job = catalogue_import_submit(producer=producer, actor=user, upload=_file(1), queue=False)
    CatalogueImportJob.objects.filter(pk=job.pk).update(status=Status.FAILED, failure="timed_out")

    assert catalogue_import_run(job_id=job.pk).status == Status.FAILED
    assert not Product.objects.exists()
    # A task delivered twice runs once.
    done = catalogue_import_submit(producer=producer, actor=user, upload=_file(1), queue=False)
    assert catalogue_import_run(job_id=done.pk).status == Status.DONE
    assert catalogue_import_run(job_id=done.pk).status == Status.DONE
    assert Product.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_job_marked_failed_while_it_applies_rolls_its_rows_back(muer, private_root, monkeypatch):
    producer, user = producer_with_user()
    job = catalogue_import_submit(producer=producer, actor=user, upload=_file(3), queue=False)
    real_apply = importers._apply

    def give_up_midway(change, **kwargs):
        outcome = real_apply(change, **kwargs)
        if change.sku == "JOB-0001":
            # Another request found the job silent for too long and marked it failed.
            def mark():
                try:
                    CatalogueImportJob.objects.filter(pk=job.pk).update(
                        status=Status.FAILED, failure="timed_out"
                    )
                finally:
                    connections.close_all()

            marker = threading.Thread(target=mark)
            marker.start()
            marker.join()
        return outcome

    monkeypatch.setattr(importers, "_apply", give_up_midway)

    job = catalogue_import_run(job_id=job.pk)

    assert (job.status, job.failure) == (Status.FAILED, "timed_out")
    assert not Product.objects.filter(producer=producer).exists()


@pytest.mark.django_db
def test_a_worker_exception_marks_the_job_failed_with_a_message(
    seller, private_root, monkeypatch, django_capture_on_commit_callbacks
):
    producer, user = seller

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(importers, "_lookups", broken)
    with django_capture_on_commit_callbacks(execute=True):
        # Through the task, eagerly: the failure is the task's, the request goes on.
        job = catalogue_import_submit(producer=producer, actor=user, upload=_file(2))

    job.refresh_from_db()
    assert (job.status, job.failure) == (Status.FAILED, "worker_error")
    assert job.failure_detail == "RuntimeError: database went away"
    assert "导入过程中出错" in job.get_failure_display()
    assert not Product.objects.exists()
    # Called directly, the service raises it again for the worker to log.
    again = catalogue_import_submit(producer=producer, actor=user, upload=_file(2), queue=False)
    with pytest.raises(RuntimeError):
        catalogue_import_run(job_id=again.pk)
    assert catalogue_run_import.name == "catalogue.run_import"


@pytest.mark.django_db
def test_a_queue_that_cannot_be_reached_fails_the_job_at_once(
    seller, private_root, monkeypatch, django_capture_on_commit_callbacks
):
    producer, user = seller

    def unreachable(*args, **kwargs):
        raise ConnectionRefusedError("redis down")

    monkeypatch.setattr(catalogue_run_import, "delay", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        job = catalogue_import_submit(producer=producer, actor=user, upload=_file(1))

    job.refresh_from_db()
    assert (job.status, job.failure) == (Status.FAILED, "queue_unavailable")


@pytest.mark.django_db
def test_a_job_whose_uploader_left_the_producer_is_rejected(seller, private_root):
    producer, user = seller
    job = catalogue_import_submit(producer=producer, actor=user, upload=_file(1), queue=False)
    producer.partner.users.remove(user)

    job = catalogue_import_run(job_id=job.pk)

    assert job.status == Status.REJECTED
    assert [e[3] for e in job.errors] == ["listing_permission_denied"]
    assert not Product.objects.exists()


@pytest.mark.django_db
def test_the_row_problems_are_written_in_the_uploaders_language(seller, private_root):
    from django.utils import translation

    producer, user = seller
    with translation.override("en"):
        job = catalogue_import_submit(
            producer=producer, actor=user, upload=_file(2, bad_row=1), queue=False
        )
    job = catalogue_import_run(job_id=job.pk)
    assert job.errors[0][2] == "The price “不要钱” is not a number."


# --- the pages ------------------------------------------------------------------


def _job_urls(job):
    args = [job.producer_id, job.pk]
    return {
        "page": reverse("producers:workspace-catalogue-import-job", args=args),
        "status": reverse("producers:workspace-catalogue-import-status", args=args),
        "report": reverse("producers:workspace-catalogue-import-report", args=args),
    }


@pytest.mark.both_databases
@pytest.mark.django_db
def test_the_upload_page_queues_the_job_and_sends_the_producer_to_its_page(
    client, seller, private_root, django_capture_on_commit_callbacks
):
    producer, user = seller
    client.force_login(user)
    url = reverse("producers:workspace-catalogue-import", args=[producer.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": _file(2, bad_row=1)})

    job = CatalogueImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _job_urls(job)["page"]
    page = client.get(response["Location"])
    assert "文件未导入：发现 1 处问题" in page.content.decode()
    [error] = page.context["errors"]
    assert (error.row, error.code) == (3, "price_not_number")
    report = client.get(_job_urls(job)["report"])
    assert report.status_code == 200 and report.content.startswith(b"PK")
    assert "catalogue-import.js" in page.content.decode()
    # The upload page lists it among the recent imports.
    assert _job_urls(job)["page"] in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_status_view_answers_the_counts_as_json(client, seller, private_root):
    producer, user = seller
    job = catalogue_import_submit(producer=producer, actor=user, upload=_file(5), queue=False)
    CatalogueImportJob.objects.filter(pk=job.pk).update(
        status=Status.APPLYING, rows_checked=5, rows_applied=2
    )
    client.force_login(user)

    response = client.get(_job_urls(job)["status"])

    assert response.json() == {
        "status": "applying",
        "status_label": "正在导入",
        "finished": False,
        "rows_total": 5,
        "rows_checked": 5,
        "rows_applied": 2,
    }
    assert "no-cache" in response["Cache-Control"]
    page = client.get(_job_urls(job)["page"]).content.decode()
    assert 'data-running="1"' in page and "已导入" in page
    # No report for a job that was not rejected.
    assert client.get(_job_urls(job)["report"]).status_code == 404
    _age(job, 60)
    assert client.get(_job_urls(job)["status"]).json()["status"] == "failed"
    assert "导入长时间没有进展" in client.get(_job_urls(job)["page"]).content.decode()


@pytest.mark.django_db
def test_a_second_upload_on_the_page_says_an_import_is_running_and_links_it(
    client, seller, private_root
):
    producer, user = seller
    job = catalogue_import_submit(producer=producer, actor=user, upload=_file(1), queue=False)
    client.force_login(user)

    response = client.post(
        reverse("producers:workspace-catalogue-import", args=[producer.pk]), {"file": _file(1)}
    )

    assert response.status_code == 200
    assert "已有一个商品导入正在进行" in response.content.decode()
    assert _job_urls(job)["page"] in response.content.decode()
    assert CatalogueImportJob.objects.count() == 1


@pytest.mark.django_db
def test_someone_elses_job_is_a_404_and_staff_see_every_job(client, seller, private_root):
    producer, user = seller
    job = catalogue_import_submit(producer=producer, actor=user, upload=_file(2), queue=False)
    catalogue_import_run(job_id=job.pk)
    CatalogueImportJob.objects.filter(pk=job.pk).update(status=Status.REJECTED, errors=[])
    urls = _job_urls(job)
    other, other_user = producer_with_user()
    colleague = UserFactory()
    producer.partner.users.add(colleague)

    client.force_login(other_user)
    for url in urls.values():
        assert client.get(url).status_code == 404, url
    # Their own producer id with this job's id.
    for name in ("job", "status", "report"):
        url = reverse(f"producers:workspace-catalogue-import-{name}", args=[other.pk, job.pk])
        assert client.get(url).status_code == 404, url

    for viewer in (colleague, StaffUserFactory()):
        client.force_login(viewer)
        for url in urls.values():
            assert client.get(url).status_code == 200, url

    client.logout()
    assert "/login/" in client.get(urls["status"])["Location"]


@pytest.mark.django_db
def test_a_job_of_a_producer_nobody_manages_is_seen_by_staff_only(client, muer, private_root):
    producer = ProducerFactory()
    user = UserFactory()
    producer.partner.users.add(user)
    job = catalogue_import_submit(producer=producer, actor=user, upload=_file(1), queue=False)
    producer.partner.users.remove(user)
    client.force_login(user)
    assert client.get(_job_urls(job)["page"]).status_code == 404
