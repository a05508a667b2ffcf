"""Start-up checks of the procurement settings (``manage.py check``, runserver,
migrate). A value outside these bounds would only surface later, as every order
approval or plan filing failing on a database constraint."""

from decimal import Decimal

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError

from procurement.models import PAYMENT_DAYS_MAX, PAYMENT_DAYS_MIN, AnnualPlan, Contract


def _fits_field(model, field_name: str, value: Decimal) -> bool:
    try:
        model._meta.get_field(field_name).run_validators(value)
    except ValidationError:
        return False
    return True


def _payment_days_errors() -> list[checks.CheckMessage]:
    days = settings.PROCUREMENT_PAYMENT_DAYS
    if type(days) is int and PAYMENT_DAYS_MIN <= days <= PAYMENT_DAYS_MAX:
        return []
    return [
        checks.Error(
            f"PROCUREMENT_PAYMENT_DAYS is {days!r}; it must be a whole number of days "
            f"from {PAYMENT_DAYS_MIN} to {PAYMENT_DAYS_MAX}.",
            hint="Every approved order's contracts get this term, and public buyers may "
            f"agree at most {PAYMENT_DAYS_MAX} days after acceptance.",
            id="procurement.E001",
        )
    ]


def _late_interest_errors() -> list[checks.CheckMessage]:
    rate = settings.PROCUREMENT_DAILY_LATE_INTEREST
    if (
        isinstance(rate, Decimal)
        and rate >= 0
        and _fits_field(Contract, "daily_interest_rate", rate)
    ):
        return []
    return [
        checks.Error(
            f"PROCUREMENT_DAILY_LATE_INTEREST is {rate!r}; it must be a Decimal of at least 0 "
            "with at most 6 decimal places and below 10.",
            hint="A rate per day: Decimal('0.0005') is 0.05% a day. Every approved order's "
            "contracts get this rate.",
            id="procurement.E002",
        )
    ]


def _reserve_ratio_errors() -> list[checks.CheckMessage]:
    ratio = settings.PROCUREMENT_DEFAULT_RESERVE_RATIO
    if (
        isinstance(ratio, Decimal)
        and 0 <= ratio <= 1
        and _fits_field(AnnualPlan, "reserve_ratio", ratio)
    ):
        return []
    return [
        checks.Error(
            f"PROCUREMENT_DEFAULT_RESERVE_RATIO is {ratio!r}; it must be a Decimal from 0 to 1 "
            "with at most 4 decimal places.",
            hint="The minimum reserved share when no reserve-ratio rule covers a year: "
            "Decimal('0.10') is 10%.",
            id="procurement.E003",
        )
    ]


def _freight_errors() -> list[checks.CheckMessage]:
    errors = []
    cap = settings.PROCUREMENT_FREIGHT_MAX
    if not (isinstance(cap, Decimal) and cap >= 0 and _fits_field(Contract, "freight", cap)):
        errors.append(
            checks.Error(
                f"PROCUREMENT_FREIGHT_MAX is {cap!r}; it must be a Decimal of at least 0 with "
                "at most 2 decimal places and below 100,000,000.",
                hint="The most freight, in yuan, any contract may carry: Decimal('5000').",
                id="procurement.E004",
            )
        )
    share = settings.PROCUREMENT_FREIGHT_MAX_SHARE
    if not (
        isinstance(share, Decimal)
        and 0 <= share <= 1
        and share == share.quantize(Decimal("0.0001"))
    ):
        errors.append(
            checks.Error(
                f"PROCUREMENT_FREIGHT_MAX_SHARE is {share!r}; it must be a Decimal from 0 to 1 "
                "with at most 4 decimal places.",
                hint="The most freight a contract may carry as a share of its goods: "
                "Decimal('0.30') is 30%.",
                id="procurement.E005",
            )
        )
    return errors


def procurement_settings_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return (
        _payment_days_errors()
        + _late_interest_errors()
        + _reserve_ratio_errors()
        + _freight_errors()
    )
