"""Reporting periods (统计期间): ISO week (Monday–Sunday), month, quarter,
half-year and year, on Asia/Shanghai calendar days (``TIME_ZONE``).

Every oversight figure takes a ``Period``; a report shows it beside
``previous()`` and ``same_last_year()``. ``period_parse`` reads the query
string's form (``2026-W43``, ``2026-10``, ``2026-Q3``, ``2026-H2``, ``2026``)
and refuses anything else with ``PeriodInvalid``.
"""

import datetime
import re
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oversight.exceptions import PeriodInvalid, PeriodOutOfRange

YEAR_MIN, YEAR_MAX = 2000, 2100


class PeriodKind:
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    CHOICES = (
        (WEEK, gettext_lazy("周")),
        (MONTH, gettext_lazy("月度")),
        (QUARTER, gettext_lazy("季度")),
        (HALF, gettext_lazy("半年")),
        (YEAR, gettext_lazy("年度")),
    )


# Months per period for the kinds made of whole months.
_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}
_COUNT = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF: 2, PeriodKind.YEAR: 1}


def _iso_weeks(year: int) -> int:
    """52 or 53: 28 December always lies in the ISO year's last week."""
    return datetime.date(year, 12, 28).isocalendar().week


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    year: int  # the ISO year for weeks
    number: int  # week 1–53, month 1–12, quarter 1–4, half 1–2; 1 for a year

    @property
    def first_day(self) -> datetime.date:
        if self.kind == PeriodKind.WEEK:
            return datetime.date.fromisocalendar(self.year, self.number, 1)
        return datetime.date(self.year, _MONTHS[self.kind] * (self.number - 1) + 1, 1)

    @property
    def last_day(self) -> datetime.date:
        if self.kind == PeriodKind.WEEK:
            return self.first_day + datetime.timedelta(days=6)
        month_index = self.year * 12 + _MONTHS[self.kind] * self.number
        return datetime.date(month_index // 12, month_index % 12 + 1, 1) - datetime.timedelta(1)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start, end) as aware datetimes at local midnight, for timestamps."""
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        start = datetime.datetime.combine(self.first_day, datetime.time.min, zone)
        end = datetime.datetime.combine(
            self.last_day + datetime.timedelta(days=1), datetime.time.min, zone
        )
        return start, end

    def previous(self) -> "Period":
        if self.kind == PeriodKind.WEEK:
            iso = (self.first_day - datetime.timedelta(days=7)).isocalendar()
            return Period(PeriodKind.WEEK, iso.year, iso.week)
        if self.number > 1:
            return Period(self.kind, self.year, self.number - 1)
        return Period(self.kind, self.year - 1, _COUNT[self.kind])

    def same_last_year(self) -> "Period":
        """The same period a year earlier; week 53 of a year whose predecessor
        had 52 weeks compares with week 52."""
        if self.kind == PeriodKind.WEEK:
            return Period(self.kind, self.year - 1, min(self.number, _iso_weeks(self.year - 1)))
        return Period(self.kind, self.year - 1, self.number)

    @property
    def slug(self) -> str:
        """The query-string form ``period_parse`` reads back."""
        return {
            PeriodKind.WEEK: f"{self.year}-W{self.number:02d}",
            PeriodKind.MONTH: f"{self.year}-{self.number:02d}",
            PeriodKind.QUARTER: f"{self.year}-Q{self.number}",
            PeriodKind.HALF: f"{self.year}-H{self.number}",
            PeriodKind.YEAR: str(self.year),
        }[self.kind]

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.WEEK:
            return _("%(year)d年第%(week)d周（%(first)s至%(last)s）") % {
                "year": self.year,
                "week": self.number,
                "first": self.first_day.strftime("%m-%d"),
                "last": self.last_day.strftime("%m-%d"),
            }
        if self.kind == PeriodKind.MONTH:
            return _("%(year)d年%(month)d月") % {"year": self.year, "month": self.number}
        if self.kind == PeriodKind.QUARTER:
            return _("%(year)d年第%(quarter)d季度") % {"year": self.year, "quarter": self.number}
        if self.kind == PeriodKind.HALF:
            return (_("%(year)d年上半年") if self.number == 1 else _("%(year)d年下半年")) % {
                "year": self.year
            }
        return _("%(year)d年") % {"year": self.year}

    def __str__(self) -> str:
        return self.label


_PATTERNS = (
    (re.compile(r"^(\d{4})-W(\d{1,2})$", re.IGNORECASE), PeriodKind.WEEK),
    (re.compile(r"^(\d{4})-Q(\d)$", re.IGNORECASE), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})-H(\d)$", re.IGNORECASE), PeriodKind.HALF),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), PeriodKind.MONTH),
    (re.compile(r"^(\d{4})$"), PeriodKind.YEAR),
)


def period_parse(value: str) -> Period:
    """The period ``value`` names, or ``PeriodInvalid`` / ``PeriodOutOfRange``."""
    text = (value or "").strip()
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        year = int(match.group(1))
        number = int(match.group(2)) if kind != PeriodKind.YEAR else 1
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise PeriodOutOfRange(params={"first": YEAR_MIN, "last": YEAR_MAX})
        last = _iso_weeks(year) if kind == PeriodKind.WEEK else _COUNT[kind]
        if not 1 <= number <= last:
            break
        return Period(kind, year, number)
    raise PeriodInvalid(params={"value": text[:20]})


def period_containing(day: datetime.date, kind: str = PeriodKind.MONTH) -> Period:
    if kind == PeriodKind.WEEK:
        iso = day.isocalendar()
        return Period(kind, iso.year, iso.week)
    if kind == PeriodKind.YEAR:
        return Period(kind, day.year, 1)
    return Period(kind, day.year, (day.month - 1) // _MONTHS[kind] + 1)


def period_default() -> Period:
    """The month that holds today (local time): the monthly bulletin's cadence."""
    return period_containing(timezone.localdate(), PeriodKind.MONTH)
