"""Annual reserved-share plans: filing and revising before the deadline."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procurement.exceptions import PlanFilingError
from procurement.models import (
    AnnualPlan,
    BuyerOrganisation,
    CanteenStatus,
    PlanRevision,
    money,
)
from procurement.selectors import (
    plan_filing_deadline,
    reserve_ratio_minimum,
)
from procurement.services._common import (
    Role,
    _require_role,
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
        raise PlanFilingError(_("工会不单独填报计划，其采购计入所属单位。"))
    deadline = plan_filing_deadline(year=year)
    if today > deadline:
        raise PlanFilingError(
            _("%(year)d 年度计划的填报截止日期（%(deadline)s）已过，不能再填报或修改。")
            % {"year": year, "deadline": deadline.isoformat()}
        )
    canteen_budget = money(canteen_budget)
    if canteen_budget < 0:
        raise PlanFilingError(_("预算金额不能为负数。"))
    minimum = reserve_ratio_minimum(year=year, region=organisation.region)
    if canteen_status in (CanteenStatus.NONE, CanteenStatus.SHARED):
        # No quota of its own: no canteen, or the representative unit files for the group.
        canteen_budget = Decimal("0.00")
        reserve_ratio = minimum
    elif reserve_ratio < minimum:
        raise PlanFilingError(
            _("预留比例不得低于 %(minimum)s（%(year)d 年度本地区最低要求）。")
            % {"minimum": f"{minimum:.0%}", "year": year}
        )
    if reserve_ratio > 1:
        raise PlanFilingError(_("预留比例不能超过 100%。"))
    if canteen_status == CanteenStatus.SHARED:
        if represented_by is None or represented_by.pk == organisation.pk:
            raise PlanFilingError(_("合用食堂须选择另一个牵头填报单位。"))
        if not AnnualPlan.objects.filter(
            organisation=represented_by,
            year=year,
            canteen_status__in=[CanteenStatus.OWN, CanteenStatus.OUTSOURCED],
        ).exists():
            raise PlanFilingError(_("牵头单位尚未填报本年度的自办或外包食堂计划。"))
    else:
        represented_by = None

    plan = (
        AnnualPlan.objects.select_for_update().filter(organisation=organisation, year=year).first()
    )
    if plan is None:
        plan = AnnualPlan(organisation=organisation, year=year, filing_deadline=deadline)
    elif not reason.strip():
        raise PlanFilingError(_("修改已填报的计划时请说明修改原因。"))
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
        raise PlanFilingError(_("同一单位同一年度只能有一份计划，请刷新后修改。")) from exc
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
