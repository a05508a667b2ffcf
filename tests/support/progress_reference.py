"""The staff progress overview as it was computed before issue 14 (item 9):
one correlated subquery per figure and unit, ``counting_unit = unit OR
counting_unit IN (shared-canteen members)``. Kept only as the reference the
grouped ``procurement.selectors.units_progress_figures`` is compared with."""

from decimal import Decimal

from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from procurement.models import (
    COUNTED_CONTRACT_STATUSES,
    AnnualPlan,
    BuyerOrganisation,
    Contract,
    OffPlatformPurchase,
    VerificationStatus,
)
from procurement.rules import contracts_pending_q, counting_unit_of, purchases_shown_for_q

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)
ZERO = Decimal("0.00")


def _subquery_sum(queryset, field_name: str):
    total = queryset.order_by().annotate(
        total=Func(F(field_name), function="SUM", output_field=MONEY_FIELD)
    )
    return Coalesce(Subquery(total.values("total")[:1]), Value(ZERO), output_field=MONEY_FIELD)


def units_progress_overview_correlated(*, year: int):
    unit, nested = OuterRef("pk"), OuterRef(OuterRef("pk"))
    target = (
        AnnualPlan.objects.filter(organisation=unit, year=year)
        .annotate(
            target=ExpressionWrapper(
                F("canteen_budget") * F("reserve_ratio"), output_field=MONEY_FIELD
            )
        )
        .values("target")[:1]
    )
    shown = purchases_shown_for_q(unit=unit, year=year, group_ref=nested)
    counted_contracts = Contract.objects.filter(
        shown, status__in=COUNTED_CONTRACT_STATUSES, accepted_on__year=year
    )
    counted_off_platform = (
        OffPlatformPurchase.objects.alias(counting_unit=counting_unit_of("organisation"))
        .filter(shown, status=VerificationStatus.VERIFIED, purchased_on__year=year)
        .exclude(corrections__status=VerificationStatus.VERIFIED)
    )
    pending = Contract.objects.filter(shown, contracts_pending_q(year=year))
    return (
        BuyerOrganisation.objects.filter(status=BuyerOrganisation.Status.ACTIVE)
        .exclude(kind=BuyerOrganisation.Kind.UNION)
        .annotate(
            target=Coalesce(Subquery(target), Value(ZERO), output_field=MONEY_FIELD),
            counted=_subquery_sum(counted_contracts, "accepted_amount")
            + _subquery_sum(counted_off_platform, "amount"),
            pending=_subquery_sum(pending, "goods_amount"),
        )
        .order_by("region__code", "name")
    )
