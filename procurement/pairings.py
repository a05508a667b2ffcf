"""The pairings report (结对帮扶采购): what each pairing's helper side bought
from the counties it helps, within the pairing's dates and a chosen range.

What counts, per pairing:
- agency contracts accepted or settled (COUNTED_CONTRACT_STATUSES) on a day
  inside both windows, bought by the helper side (procurement.rules.
  pairing_helper_units_q), at each line's accepted quantity × unit price, for
  products (a variant: its parent) originating in a helped county; freight is
  not the county's produce;
- off-platform purchases verified (and not replaced by a verified correction)
  dated inside both windows, bought by the helper side, whose origin county is
  a helped county.

Every figure is a grouped join over all the pairings asked for at once (the
county → pairing link is the join), so a page costs the same few queries
however many pairings and contracts there are."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce

from procurement.models import (
    COUNTED_CONTRACT_STATUSES,
    BuyerOrganisation,
    ContractLine,
    OffPlatformPurchase,
    Pairing,
    VerificationStatus,
)
from procurement.rules import pairing_helper_units_q
from regions.models import Region

ZERO = Decimal("0.00")
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


@dataclass
class PairingFigures:
    contracts: Decimal = ZERO
    off_platform: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.contracts + self.off_platform


@dataclass
class PairingBreakdown:
    """One pairing's figures, by helped county and by buying unit."""

    pairing: Pairing
    figures: PairingFigures
    by_county: list[tuple[Region, PairingFigures]] = field(default_factory=list)
    by_unit: list[tuple[BuyerOrganisation, PairingFigures]] = field(default_factory=list)


def _in_windows_q(*, day: str, link: str, date_from, date_to) -> Q:
    """``day`` within the pairing's dates (at ``link``) and the chosen range."""
    return (
        Q(**{f"{day}__gte": F(f"{link}__starts_on")})
        & (Q(**{f"{link}__ends_on__isnull": True}) | Q(**{f"{day}__lte": F(f"{link}__ends_on")}))
        & Q(**{f"{day}__gte": date_from, f"{day}__lte": date_to})
    )


def _helper_q(*, link: str, path: str) -> Q:
    return pairing_helper_units_q(
        unit=F(f"{link}__helper_unit"), path=path
    ) | pairing_helper_units_q(region=F(f"{link}__helper_region"), path=path)


def _contract_rows(pairing_ids, *, date_from, date_to, by: str | None):
    """Accepted line amounts per pairing (and ``by``: county or unit), one
    grouped query for products with their own origin and one for variants."""
    amount = ExpressionWrapper(F("accepted_quantity") * F("unit_price"), output_field=MONEY_FIELD)
    for product in ("product", "product__parent"):
        link = f"{product}__origin_county__helping_pairings"
        group = {"pairing": F(link)}
        if by == "county":
            group["key"] = F(f"{product}__origin_county")
        elif by == "unit":
            group["key"] = F("contract__counting_unit")
        lines = ContractLine.objects.filter(
            Q(**{f"{link}__in": pairing_ids})
            & Q(contract__status__in=COUNTED_CONTRACT_STATUSES, accepted_quantity__isnull=False)
            & _in_windows_q(
                day="contract__accepted_on", link=link, date_from=date_from, date_to=date_to
            )
            & _helper_q(link=link, path="contract__organisation")
        )
        if product == "product__parent":
            # A variant whose own origin is set was counted by the first query.
            lines = lines.filter(product__origin_county__isnull=True)
        yield from lines.values(**group).annotate(total=Sum(amount)).order_by()


def _off_platform_rows(pairing_ids, *, date_from, date_to, by: str | None):
    link = "origin_county__helping_pairings"
    group = {"pairing": F(link)}
    if by == "county":
        group["key"] = F("origin_county")
    elif by == "unit":
        group["key"] = Coalesce(F("organisation__union_of"), F("organisation"))
    records = OffPlatformPurchase.objects.filter(
        Q(**{f"{link}__in": pairing_ids})
        & Q(status=VerificationStatus.VERIFIED)
        & _in_windows_q(day="purchased_on", link=link, date_from=date_from, date_to=date_to)
        & _helper_q(link=link, path="organisation")
    ).exclude(corrections__status=VerificationStatus.VERIFIED)
    return records.values(**group).annotate(total=Sum("amount")).order_by()


def _figures(pairing_ids, *, date_from, date_to, by: str | None = None):
    """{(pairing id, key or None): PairingFigures}."""
    found: dict[tuple, PairingFigures] = defaultdict(PairingFigures)
    kwargs = {"date_from": date_from, "date_to": date_to, "by": by}
    for row in _contract_rows(pairing_ids, **kwargs):
        found[row["pairing"], row.get("key")].contracts += row["total"] or ZERO
    for row in _off_platform_rows(pairing_ids, **kwargs):
        found[row["pairing"], row.get("key")].off_platform += row["total"] or ZERO
    return found


def pairing_purchases(
    *, pairings: Iterable[Pairing], date_from: datetime.date, date_to: datetime.date
) -> dict[int, PairingFigures]:
    """Each pairing's purchases from its helped counties (module docstring),
    by pairing id; a pairing without any has zero figures. Three queries."""
    ids = [pairing.pk for pairing in pairings]
    found = _figures(ids, date_from=date_from, date_to=date_to)
    return {pk: found.get((pk, None), PairingFigures()) for pk in ids}


def pairing_purchases_breakdown(
    *, pairing: Pairing, date_from: datetime.date, date_to: datetime.date
) -> PairingBreakdown:
    """One pairing's figures, with every helped county (zero where nothing was
    bought) and every unit that bought, largest first."""
    by_county = _figures([pairing.pk], date_from=date_from, date_to=date_to, by="county")
    by_unit = _figures([pairing.pk], date_from=date_from, date_to=date_to, by="unit")
    total = PairingFigures()
    for figures in by_county.values():
        total.contracts += figures.contracts
        total.off_platform += figures.off_platform
    counties = pairing.helped_counties.select_related("parent__parent").order_by("code")
    units = BuyerOrganisation.objects.filter(
        pk__in=[key for _pairing, key in by_unit]
    ).select_related("region")
    units_by_pk = {unit.pk: unit for unit in units}

    def largest_first(item):
        return (-item[1].total, item[0].pk)

    return PairingBreakdown(
        pairing=pairing,
        figures=total,
        by_county=sorted(
            (
                (county, by_county.get((pairing.pk, county.pk), PairingFigures()))
                for county in counties
            ),
            key=largest_first,
        ),
        by_unit=sorted(
            ((units_by_pk[key], figures) for (_pairing, key), figures in by_unit.items()),
            key=largest_first,
        ),
    )


def pairings_listed():
    """The registry as staff list it: helper sides and counties at hand."""
    return Pairing.objects.select_related("helper_unit", "helper_region").prefetch_related(
        "helped_counties"
    )
