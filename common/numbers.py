"""Ratios and percentages: stored as ratios (0.1500), shown and typed as percents."""

from decimal import Decimal

HUNDRED = Decimal(100)


def percent_of_ratio(ratio: Decimal, *, places: int = 2) -> Decimal:
    """15.00 for 0.1500: what a percent field shows for a stored ratio,
    with no more decimal places than such a field accepts."""
    return (ratio * HUNDRED).quantize(Decimal(1).scaleb(-places))


def ratio_of_percent(percent: Decimal, *, places: int = 4) -> Decimal:
    """0.1500 for 15 (the inverse of ``percent_of_ratio``)."""
    return (percent / HUNDRED).quantize(Decimal(1).scaleb(-places))


def percent_text(ratio: Decimal) -> str:
    """ "15%" for 0.15, "0.05%" for 0.0005: a ratio as a percentage without
    trailing zeros."""
    text = format((ratio * HUNDRED).normalize(), "f")
    return f"{text}%"
