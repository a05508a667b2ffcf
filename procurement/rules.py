"""Procurement rules that several places need, each written once here.

Selectors, services, views and templates call these functions instead of
restating a rule. A rule that must also be answered in SQL has a per-object
form and a query form side by side, and tests/procurement/test_rules.py checks
that the two agree case by case.
"""

import datetime

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from procurement.models import Contract, ContractStatus

# --- overdue -------------------------------------------------------------------
# A contract is overdue on a day when it has been accepted (so money is owed),
# is not yet settled, and its due date is before that day.


def contracts_overdue_q(*, on: datetime.date) -> Q:
    """The overdue rule as a filter on contracts."""
    return Q(status=ContractStatus.ACCEPTED, due_date__lt=on)


def contract_is_overdue(*, contract: Contract, on: datetime.date) -> bool:
    """The overdue rule for one contract in hand, on the same fields as
    ``contracts_overdue_q``."""
    return (
        contract.status == ContractStatus.ACCEPTED
        and contract.due_date is not None
        and contract.due_date < on
    )


def contracts_with_overdue_flag(queryset: QuerySet[Contract], *, on: datetime.date):
    """``queryset`` with ``is_overdue`` on each row, for lists whose templates
    mark overdue contracts without restating the rule."""
    return queryset.annotate(
        is_overdue=ExpressionWrapper(contracts_overdue_q(on=on), output_field=BooleanField())
    )
