"""Two requests or two refunds of the same line at the same moment, on real
threads against PostgreSQL: the order row lock lets one through (issue 13)."""

from decimal import Decimal

import pytest

from aftersales import services
from aftersales.models import AfterSalesCase, CaseKind, CaseStatus
from common.exceptions import DomainError
from payments.models import StripePayment, StripeRefund
from tests.factories import (
    UserFactory,
    bank_order_paid,
    card_order_paid,
    producer_of,
    product_with_stock,
    shipped,
)
from tests.support import stripe as fake_stripe
from tests.support.threads import run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


def request_work(order, quantity):
    line_id = order.lines.get().pk

    def work():
        return services.case_request(
            order_id=order.pk,
            line_id=line_id,
            actor=order.user,
            kind=CaseKind.REFUND_ONLY,
            quantity=quantity,
            reason="quality",
        )

    return work


def test_two_requests_for_the_same_units_at_once_take_them_once():
    order = shipped(bank_order_paid(product_with_stock(price=Decimal("50.00"), stock=10)))

    outcomes = run_concurrently([request_work(order, 2), request_work(order, 2)])

    cases = [o for o in outcomes if isinstance(o, AfterSalesCase)]
    refusals = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(cases) == 1 and [r.code for r in refusals] == ["aftersales_quantity_invalid"]
    assert AfterSalesCase.objects.count() == 1


def test_the_same_case_accepted_twice_at_once_refunds_once_at_stripe(stripe_on):
    order = shipped(card_order_paid(product_with_stock(price=Decimal("50.00"), stock=10)))
    case = request_work(order, 1)()
    worker = UserFactory()
    producer_of(order.lines.get()).partner.users.add(worker)

    outcomes = run_concurrently(
        [lambda: services.case_accept(case_id=case.pk, actor=worker) for _ in range(2)]
    )

    assert sum(isinstance(o, AfterSalesCase) for o in outcomes) == 1
    assert [o.code for o in outcomes if isinstance(o, DomainError)] == ["aftersales_illegal_step"]
    case.refresh_from_db()
    assert case.status == CaseStatus.REFUNDED
    intent_id = StripePayment.objects.get(order=order, status="succeeded").intent_id
    assert [r["amount"] for r in fake_stripe.refunds_of(intent_id)] == [5000]
    assert StripeRefund.objects.count() == 1


def test_two_cases_of_one_line_refunded_at_once_never_pass_the_lines_price(stripe_on):
    order = shipped(card_order_paid(product_with_stock(price=Decimal("50.00"), stock=10)))
    first, second = request_work(order, 1)(), request_work(order, 1)()
    worker = UserFactory()
    producer_of(order.lines.get()).partner.users.add(worker)

    outcomes = run_concurrently(
        [lambda c=c: services.case_accept(case_id=c.pk, actor=worker) for c in (first, second)]
    )

    assert all(isinstance(o, AfterSalesCase) for o in outcomes)
    assert sum(r.amount for r in StripeRefund.objects.all()) == Decimal("100.00")
    assert order.sources.get().amount_refunded == Decimal("100.00")
