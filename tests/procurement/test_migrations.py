"""Data kept through procurement's own migrations. The migrations run inside
the test's transaction, which PostgreSQL rolls back with the schema changes."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from procurement.models import (
    AmendmentStatus,
    Contract,
    ContractAmendment,
    ContractStatus,
    ContractTransition,
)
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


def _settle_deferred_checks():
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_freight_a_supplier_set_unagreed_becomes_a_pending_amendment(team, product, seller):
    awaiting = contract_in_state(team, product, 10, ContractStatus.AWAITING, seller=seller)
    confirmed = contract_in_state(team, product, 10, ContractStatus.CONFIRMED, seller=seller)
    _settle_deferred_checks()
    _migrate("0012_order_lines_may_be_preorders")
    # As the old contract_freight_set left them: the freight and its log row.
    for contract in (awaiting, confirmed):
        Contract.objects.filter(pk=contract.pk).update(freight=Decimal("60.00"))
        ContractTransition.objects.create(
            contract=contract,
            actor=seller,
            action="set_freight",
            from_status="awaiting",
            to_status="awaiting",
            reason="运费由 ¥0.00 调整为 ¥60.00",
        )
    _settle_deferred_checks()
    _migrate("0013_contract_amendments")
    assert Contract.objects.get(pk=awaiting.pk).freight == Decimal("0.00")
    amendment = ContractAmendment.objects.get(contract=awaiting)
    assert (amendment.status, amendment.proposed_value, amendment.proposed_by) == (
        AmendmentStatus.PENDING,
        Decimal("60.00"),
        seller,
    )
    assert ContractTransition.objects.filter(contract=awaiting, action="amend").exists()
    # A confirmed contract's freight was agreed by its confirmation and stays.
    assert Contract.objects.get(pk=confirmed.pk).freight == Decimal("60.00")
    assert not ContractAmendment.objects.filter(contract=confirmed).exists()


def test_freight_too_large_for_the_new_column_stops_the_migration(team, product, seller):
    contract = contract_in_state(team, product, 10, ContractStatus.CONFIRMED, seller=seller)
    _settle_deferred_checks()
    _migrate("0012_order_lines_may_be_preorders")
    Contract.objects.filter(pk=contract.pk).update(freight=Decimal("9999999999.99"))
    with pytest.raises(RuntimeError, match=contract.number):
        _migrate("0013_contract_amendments")
