"""Numbers as people read and write them: ratios stored as 0.1500 and shown or
typed as percents, and amounts of money in Chinese capitals (大写)."""

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


def amount_in_words(amount: Decimal) -> str:
    """人民币大写: 壹仟零壹拾元整 for 1010.00, as contracts and approvals write it."""
    import cn2an

    return cn2an.an2cn(f"{amount:.2f}", "rmb")
