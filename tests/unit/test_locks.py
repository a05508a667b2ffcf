"""One row-lock helper: every lock in the application goes through it."""

import ast
from pathlib import Path

import pytest
from django.db import transaction
from oscar.core.loading import get_model

from common.locks import row_lock, rows_lock
from tests.factories import PartnerFactory

Partner = get_model("partner", "Partner")
ROOT = Path(__file__).resolve().parents[2]
APPLICATION = [
    p
    for p in ROOT.glob("*/**/*.py")
    if p.parts[len(ROOT.parts)] not in {"tests", "benchmarks", ".venv", "scripts"}
    and "migrations" not in p.parts
]


def test_no_code_but_the_lock_helper_calls_select_for_update():
    callers = sorted(
        str(path.relative_to(ROOT))
        for path in APPLICATION
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr == "select_for_update"
    )
    assert callers == ["common/locks.py"]


@pytest.mark.django_db
def test_rows_lock_returns_the_rows_by_primary_key_and_skips_missing_ones():
    a, b = PartnerFactory(), PartnerFactory()
    with transaction.atomic():
        locked = rows_lock(Partner.objects.all(), ids=[b.pk, a.pk, b.pk, 0])
    assert list(locked) == sorted([a.pk, b.pk])
    assert locked[a.pk] == a


@pytest.mark.django_db
def test_row_lock_of_a_missing_row_raises_does_not_exist():
    with transaction.atomic(), pytest.raises(Partner.DoesNotExist):
        row_lock(Partner.objects.all(), pk=0)
