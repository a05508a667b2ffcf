"""common.transactions.on_commit_once: one run per transaction."""

import pytest
from django.db import transaction

from common.transactions import on_commit_once

pytestmark = pytest.mark.django_db


class Bump:
    """A call that counts its runs."""

    def __init__(self):
        self.runs = 0

    def __call__(self) -> None:
        self.runs += 1


@pytest.fixture
def bump():
    return Bump()


def test_a_transaction_runs_the_call_once_however_often_it_asks(
    bump, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        on_commit_once(bump)
        on_commit_once(bump)
        with transaction.atomic():
            on_commit_once(bump)
    assert bump.runs == 1

    # The next transaction gets its own run.
    with django_capture_on_commit_callbacks(execute=True):
        on_commit_once(bump)
    assert bump.runs == 2


def test_a_call_asked_for_in_a_rolled_back_savepoint_still_runs_if_asked_for_outside_it(
    bump, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                on_commit_once(bump)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        on_commit_once(bump)
    assert bump.runs == 1


def test_a_rolled_back_savepoint_keeps_the_call_the_transaction_asked_for_before_it(
    bump, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        on_commit_once(bump)
        try:
            with transaction.atomic():
                on_commit_once(bump)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert bump.runs == 1


def test_outside_a_transaction_it_runs_at_once(transactional_db, bump):
    on_commit_once(bump)
    assert bump.runs == 1
