from dataclasses import dataclass

from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")


def partner_is_managed_by(*, partner_id: int, user) -> bool:
    """Whether ``user`` works for the partner (Oscar's ``Partner.users``).

    The one rule for "a producer's own users": a producer is one-to-one with its
    partner, so producers, catalogue and procurement all ask this."""
    if not user.is_authenticated:
        return False
    return Partner.objects.filter(pk=partner_id, users=user).exists()


@dataclass(frozen=True)
class StockFigures:
    """A stock record's three figures, as every page and file shows them.

    ``on_hand`` (在库) is what the producer entered; ``allocated`` (已分配) is
    held for paid but unshipped orders and confirmed contracts; ``available``
    (可售) is what may still be sold, Oscar's ``net_stock_level``."""

    on_hand: int
    allocated: int
    available: int


def stock_figures(stockrecord) -> StockFigures | None:
    """The figures of ``stockrecord`` (None for none), from the row as loaded."""
    if stockrecord is None:
        return None
    on_hand = stockrecord.num_in_stock or 0
    allocated = stockrecord.num_allocated or 0
    return StockFigures(on_hand=on_hand, allocated=allocated, available=on_hand - allocated)
