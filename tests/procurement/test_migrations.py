"""Data kept through procurement's own migrations. The migrations run inside
the test's transaction, which PostgreSQL rolls back with the schema changes."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from procurement.models import Contract, ContractStatus
from tests.factories.procurement import contract_in_state

pytestmark = pytest.mark.django_db


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("procurement", target)])


def test_same_day_payment_terms_become_one_day_when_the_legal_range_starts_at_one(
    team, product, seller
):
    contract = contract_in_state(team, product, 10, ContractStatus.AWAITING, seller=seller)
    with connection.cursor() as cursor:
        # PostgreSQL will not alter a table while checks of rows written in this
        # transaction are still deferred: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    row = Contract.objects.filter(pk=contract.pk)
    _migrate("0003_transition_logs_share_the_workflow_log")
    row.update(payment_days=0)
    _migrate("0004_contract_payment_days_legal_range")
    assert row.get().payment_days == 1
