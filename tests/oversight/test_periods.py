import datetime

import pytest

from oversight.exceptions import PeriodInvalid, PeriodOutOfRange
from oversight.periods import Period, PeriodKind, period_containing, period_parse


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2026-W43", datetime.date(2026, 10, 19), datetime.date(2026, 10, 25)),
        ("2026-W01", datetime.date(2025, 12, 29), datetime.date(2026, 1, 4)),
        ("2026-W53", datetime.date(2026, 12, 28), datetime.date(2027, 1, 3)),
        ("2026-10", datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)),
        ("2028-02", datetime.date(2028, 2, 1), datetime.date(2028, 2, 29)),
        ("2026-Q3", datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
        ("2026-Q4", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
        ("2026-H1", datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
        ("2026-H2", datetime.date(2026, 7, 1), datetime.date(2026, 12, 31)),
        ("2026", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
    ],
)
def test_a_period_parsed_from_the_query_string_covers_its_days(text, first, last):
    period = period_parse(text)
    assert (period.first_day, period.last_day) == (first, last)
    assert period_parse(period.slug) == period


def test_bounds_are_local_midnights_in_shanghai():
    start, end = period_parse("2026-10").bounds()
    assert start.isoformat() == "2026-10-01T00:00:00+08:00"
    assert end.isoformat() == "2026-11-01T00:00:00+08:00"


@pytest.mark.parametrize(
    ("text", "previous", "last_year"),
    [
        ("2026-W01", "2025-W52", "2025-W01"),
        ("2026-W53", "2026-W52", "2025-W52"),  # 2025 has 52 ISO weeks
        ("2026-01", "2025-12", "2025-01"),
        ("2026-Q1", "2025-Q4", "2025-Q1"),
        ("2026-H1", "2025-H2", "2025-H1"),
        ("2026", "2025", "2025"),
    ],
)
def test_previous_period_and_same_period_last_year(text, previous, last_year):
    period = period_parse(text)
    assert period.previous().slug == previous
    assert period.same_last_year().slug == last_year


@pytest.mark.parametrize(
    "text",
    ["", "2026-13", "2026-00", "2026-Q5", "2026-H3", "2025-W53", "十月", "2026-10-01", "x" * 500],
)
def test_anything_else_is_refused_with_a_code(text):
    with pytest.raises(PeriodInvalid) as caught:
        period_parse(text)
    assert caught.value.code == "period_invalid"


def test_years_outside_the_programme_are_refused():
    with pytest.raises(PeriodOutOfRange):
        period_parse("1999")


def test_the_period_containing_a_day():
    day = datetime.date(2026, 10, 20)
    assert period_containing(day, PeriodKind.WEEK) == Period(PeriodKind.WEEK, 2026, 43)
    assert period_containing(day, PeriodKind.HALF) == Period(PeriodKind.HALF, 2026, 2)
    assert period_containing(day).slug == "2026-10"
