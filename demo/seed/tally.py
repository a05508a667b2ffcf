from typing import NamedTuple


class Tally(NamedTuple):
    """Of one kind of demo object: how many this run created, how many the demo has."""

    created: int
    total: int
