"""Annual reserved-share plans: filing and revising before the deadline."""

import datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.numbers import percent_text
from procurement.exceptions import (
    PlanAlreadyFiled,
    PlanBudgetNegative,
    PlanDeadlinePassed,
    PlanFiledByUnion,
    PlanRatioAboveMaximum,
    PlanRatioBelowMinimum,
    PlanRepresentativeNotFiled,
    PlanRepresentativeRequired,
    PlanRevisionReasonRequired,
    ReserveRatioRuleInvalid,
    ReserveRatioRuleNotProvince,
    ReserveRatioRuleOutOfRange,
    ReserveRatioRuleOverlap,
)
from procurement.lock_objects import annual_plan_lock, procurement_row_lock
from procurement.models import (
    AnnualPlan,
    BuyerOrganisation,
    CanteenStatus,
    PlanRevision,
    ReserveRatioRule,
    money,
)
from procurement.selectors import (
    plan_filing_deadline,
    plan_filing_is_open,
    reserve_ratio_minimum,
)
from procurement.services._common import (
    Role,
    _require_role,
    _require_staff,
)


@transaction.atomic
def annual_plan_file(
    *,
    organisation: BuyerOrganisation,
    actor,
    year: int,
    canteen_status: str,
    canteen_budget: Decimal,
    reserve_ratio: Decimal,
    union_purchasing: bool = False,
    represented_by: BuyerOrganisation | None = None,
    reason: str = "",
    today: datetime.date | None = None,
) -> AnnualPlan:
    """File the year's plan, or revise it before the deadline; every filing is kept."""
    _require_role(user=actor, organisation=organisation, roles=[Role.ADMIN])
    today = today or timezone.localdate()
    if organisation.kind == BuyerOrganisation.Kind.UNION:
        raise PlanFiledByUnion()
    deadline = plan_filing_deadline(year=year)
    if not plan_filing_is_open(year=year, today=today):
        raise PlanDeadlinePassed(params={"year": year, "deadline": deadline.isoformat()})
    canteen_budget = money(canteen_budget)
    if canteen_budget < 0:
        raise PlanBudgetNegative()
    minimum = reserve_ratio_minimum(year=year, region=organisation.region)
    if canteen_status in (CanteenStatus.NONE, CanteenStatus.SHARED):
        # No quota of its own: no canteen, or the representative unit files for the group.
        canteen_budget = Decimal("0.00")
        reserve_ratio = minimum
    elif reserve_ratio < minimum:
        raise PlanRatioBelowMinimum(params={"minimum": percent_text(minimum), "year": year})
    if reserve_ratio > 1:
        raise PlanRatioAboveMaximum()
    if canteen_status == CanteenStatus.SHARED:
        if represented_by is None or represented_by.pk == organisation.pk:
            raise PlanRepresentativeRequired()
        if not AnnualPlan.objects.filter(
            organisation=represented_by,
            year=year,
            canteen_status__in=[CanteenStatus.OWN, CanteenStatus.OUTSOURCED],
        ).exists():
            raise PlanRepresentativeNotFiled()
    else:
        represented_by = None

    plan = annual_plan_lock(organisation=organisation, year=year)
    if plan is None:
        plan = AnnualPlan(organisation=organisation, year=year, filing_deadline=deadline)
    elif not reason.strip():
        raise PlanRevisionReasonRequired()
    else:
        plan.revision += 1
    plan.canteen_status = canteen_status
    plan.canteen_budget = canteen_budget
    plan.reserve_ratio = reserve_ratio
    plan.union_purchasing = union_purchasing
    plan.represented_by = represented_by
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:
        raise PlanAlreadyFiled() from exc
    PlanRevision.objects.create(
        plan=plan,
        number=plan.revision,
        canteen_status=canteen_status,
        canteen_budget=canteen_budget,
        reserve_ratio=reserve_ratio,
        union_purchasing=union_purchasing,
        represented_by=represented_by,
        reason=reason.strip(),
        actor=actor,
    )
    return plan


def _ratio_rule_overlap(rule: ReserveRatioRule) -> ReserveRatioRuleOverlap:
    where = rule.province.name if rule.province_id else _("全国")
    return ReserveRatioRuleOverlap(params={"year": rule.year, "where": where})


@transaction.atomic
def reserve_ratio_rule_save(
    *,
    actor,
    year: int,
    province,
    minimum_ratio: Decimal,
    rule: ReserveRatioRule | None = None,
) -> ReserveRatioRule:
    """Add a minimum reserve-ratio rule, or change ``rule``.

    The range, the province level and the overlaps (one national rule and one
    per province a year) are the model's validators, clean() and constraints,
    run here through full_clean. Plans already filed keep the ratio they were
    filed with: reserve_ratio_minimum is read when a plan is filed or revised,
    so a changed rule binds the next filing or revision only."""
    _require_staff(actor)
    rule = ReserveRatioRule() if rule is None else procurement_row_lock(rule)
    rule.year, rule.province, rule.minimum_ratio = year, province, minimum_ratio
    try:
        rule.full_clean()
    except ValidationError as exc:
        errors = exc.message_dict
        if "minimum_ratio" in errors:
            raise ReserveRatioRuleOutOfRange() from exc
        if "province" in errors:
            raise ReserveRatioRuleNotProvince() from exc
        if NON_FIELD_ERRORS in errors:
            raise _ratio_rule_overlap(rule) from exc
        detail = "；".join(m for messages in errors.values() for m in messages)
        raise ReserveRatioRuleInvalid(params={"detail": detail}) from exc
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError as exc:
        # Two staff adding the same year and province at the same moment.
        raise _ratio_rule_overlap(rule) from exc
    return rule
