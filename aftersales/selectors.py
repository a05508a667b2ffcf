"""Reads of after-sales for the buyer's order page, the producer's workspace
and staff's arbitration queue."""

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from aftersales import rules
from aftersales.models import AfterSalesCase, CaseStatus
from producers.models import Shipment


def _with_relations(cases: QuerySet) -> QuerySet:
    return cases.select_related("order", "line", "producer", "stripe_refund", "bank_refund")


def cases_of_order(*, order) -> QuerySet[AfterSalesCase]:
    return _with_relations(AfterSalesCase.objects.filter(order=order))


def cases_of_producer(*, producer) -> QuerySet[AfterSalesCase]:
    """The producer's cases: those waiting for it (to decide, or to receive a
    return) first, then the rest; each by deadline, the nearest first."""
    waiting = Case(
        When(status__in=[CaseStatus.REQUESTED, CaseStatus.RETURNING], then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return _with_relations(AfterSalesCase.objects.filter(producer=producer)).order_by(
        waiting, "respond_by", "-pk"
    )


def cases_for_arbitration(*, show_all: bool = False) -> QuerySet[AfterSalesCase]:
    """Escalated cases (silence or a disputed rejection) for staff; all cases on request."""
    cases = AfterSalesCase.objects.all()
    if not show_all:
        cases = cases.filter(status=CaseStatus.ESCALATED)
    return _with_relations(cases).order_by("created_at", "pk")


def case_is_overdue(case: AfterSalesCase, now=None) -> bool:
    return case.status == CaseStatus.REQUESTED and rules.case_is_overdue(
        respond_by=case.respond_by, now=now or timezone.now()
    )


def order_cancellable(*, order) -> bool:
    """Whether the order page offers the cancel button."""
    return rules.order_is_cancellable(
        status=order.status, shipped=Shipment.objects.filter(order=order).exists()
    )


def order_line_quantities_open(*, order) -> dict[int, int]:
    """Units of each shipped line a new request may still name, by line id."""
    taken: dict[int, int] = {}
    for line_id, quantity in (
        AfterSalesCase.objects.filter(order=order, line__isnull=False)
        .exclude(status=CaseStatus.CLOSED)
        .values_list("line_id", "quantity")
    ):
        taken[line_id] = taken.get(line_id, 0) + quantity
    return {
        line.pk: rules.line_quantity_open(
            line_quantity=line.quantity, earlier_quantity=taken.get(line.pk, 0)
        )
        for line in order.lines.all()
        if rules.line_is_requestable(line_status=line.status)
    }


def order_is_buyers(*, order, user) -> bool:
    return bool(user.is_authenticated and order.user_id is not None and order.user_id == user.pk)
