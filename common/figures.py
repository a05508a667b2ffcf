"""Named figures that a lower app computes and a sibling app shows.

Apps of one layer may not import each other (import-linter): the county page
(cms) shows agency sales that only procurement can compute. Procurement
registers the function under a name when it is ready; cms asks for the figure
by that name. A figure nobody registered is ``None``, and the page leaves it out.
"""

from collections.abc import Callable

_providers: dict[str, Callable] = {}

COUNTY_AGENCY_SALES = "county_agency_sales"


def figure_register(name: str, provider: Callable) -> None:
    _providers[name] = provider


def figure_compute(name: str, **kwargs):
    provider = _providers.get(name)
    return None if provider is None else provider(**kwargs)
