"""Data kept through the producers app's own migrations. The migrations run
inside the test's transaction, which PostgreSQL rolls back with the schema."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from producers.models import BenefitLinkage, LinkageStatus
from tests.factories import ProducerFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

BEFORE_REVIEW_STATUS = "0011_category_proposals"
REVIEW_STATUS = "0012_benefit_linkage_review_status_and_log"


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("producers", target)])
    executor.loader.build_graph()
    return executor.loader.project_state(("producers", target)).apps


def test_figures_already_verified_start_verified_and_the_rest_wait_for_staff():
    producer, staff = ProducerFactory(), StaffUserFactory()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    old = _migrate(BEFORE_REVIEW_STATUS).get_model("producers", "BenefitLinkage")
    common = {"producer_id": producer.pk, "employment_households": 3, "total_households": 3}
    verified = old.objects.create(
        year=2024,
        is_verified=True,
        verified_by_id=staff.pk,
        verified_at=timezone.now(),
        **common,
    )
    waiting = old.objects.create(year=2025, **common)
    _migrate(REVIEW_STATUS)
    assert BenefitLinkage.objects.get(pk=verified.pk).status == LinkageStatus.VERIFIED
    assert BenefitLinkage.objects.get(pk=waiting.pk).status == LinkageStatus.SUBMITTED
