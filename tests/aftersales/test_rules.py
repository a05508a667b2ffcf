"""The after-sales rules: what a line gives back, deadlines, what may be
cancelled (issue 13 item 4)."""

import datetime
from decimal import Decimal

import pytest

from aftersales import rules


@pytest.mark.parametrize(
    ("quantity", "earlier_quantity", "earlier_amount", "expected"),
    [
        (1, 0, "0.00", "33.33"),  # a third of 100.00, rounded half up
        (2, 0, "0.00", "66.67"),
        (3, 0, "0.00", "100.00"),  # the whole line
        (2, 1, "33.33", "66.67"),  # the last units take exactly what is left
        (1, 2, "66.67", "33.33"),
        (1, 3, "100.00", "0.00"),  # nothing is left
        (0, 0, "0.00", "0.00"),
    ],
)
def test_a_line_gives_back_its_price_per_unit_and_never_more_than_is_left(
    quantity, earlier_quantity, earlier_amount, expected
):
    amount = rules.line_refund_amount(
        line_total=Decimal("100.00"),
        line_quantity=3,
        quantity=quantity,
        earlier_quantity=earlier_quantity,
        earlier_amount=Decimal(earlier_amount),
    )
    assert amount == Decimal(expected)


def test_a_part_refund_is_capped_by_what_earlier_refunds_left():
    amount = rules.line_refund_amount(
        line_total=Decimal("100.00"),
        line_quantity=4,
        quantity=1,
        earlier_quantity=1,
        earlier_amount=Decimal("90.00"),
    )
    assert amount == Decimal("10.00")


def test_open_quantity_is_what_requests_have_not_taken():
    assert rules.line_quantity_open(line_quantity=3, earlier_quantity=1) == 2
    assert rules.line_quantity_open(line_quantity=3, earlier_quantity=5) == 0


def test_the_producer_answers_within_the_configured_hours(settings):
    settings.AFTERSALES_RESPONSE_HOURS = 48
    asked = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
    deadline = rules.case_respond_by(requested_at=asked)

    assert deadline == datetime.datetime(2026, 3, 3, 9, 0, tzinfo=datetime.UTC)
    assert not rules.case_is_overdue(
        respond_by=deadline, now=deadline - datetime.timedelta(seconds=1)
    )
    assert rules.case_is_overdue(respond_by=deadline, now=deadline)


@pytest.mark.parametrize(
    ("status", "shipped", "expected"),
    [
        ("pending_payment", False, True),
        ("paid", False, True),
        ("paid", True, False),  # one producer shipped: the order stands
        ("shipped", True, False),
        ("cancelled", False, False),
        ("complete", True, False),
    ],
)
def test_an_order_is_cancellable_until_anything_ships(status, shipped, expected):
    assert rules.order_is_cancellable(status=status, shipped=shipped) is expected


def test_only_shipped_lines_take_requests():
    assert rules.line_is_requestable(line_status="shipped")
    assert rules.line_is_requestable(line_status="complete")
    assert not rules.line_is_requestable(line_status="paid")
