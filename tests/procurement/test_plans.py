import datetime
from decimal import Decimal

import pytest

from procurement.exceptions import PlanFilingError, ProcurementPermissionDenied
from procurement.models import CanteenStatus, ReserveRatioRule
from procurement.selectors import reserve_ratio_minimum
from procurement.services import annual_plan_file
from tests.factories import county
from tests.factories.procurement import BuyerOrganisationFactory, Team

# The minimum ratio comes from an ordered lookup: run on SQLite (make run) too.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

BEFORE_DEADLINE = datetime.date(2026, 2, 1)


def file(team, **overrides):
    kwargs = {
        "organisation": team.organisation,
        "actor": team.admin,
        "year": 2026,
        "canteen_status": CanteenStatus.OWN,
        "canteen_budget": Decimal("800000"),
        "reserve_ratio": Decimal("0.15"),
        "today": BEFORE_DEADLINE,
    } | overrides
    return annual_plan_file(**kwargs)


def test_target_is_budget_times_ratio_and_first_filing_is_kept(team):
    plan = file(team)
    assert plan.target_amount == Decimal("120000.00")
    (revision,) = plan.revisions.all()
    assert (revision.number, revision.canteen_budget, revision.actor) == (
        0,
        Decimal("800000.00"),
        team.admin,
    )


def test_ratio_below_the_default_minimum_of_ten_percent_is_refused(team):
    with pytest.raises(PlanFilingError) as excinfo:
        file(team, reserve_ratio=Decimal("0.09"))
    assert excinfo.value.code == "plan_ratio_below_minimum"
    assert excinfo.value.params["minimum"] == "10%"
    assert not team.organisation.plans.exists()


def test_province_rule_overrides_the_national_default(team, settings):
    province = team.organisation.region.province
    ReserveRatioRule.objects.create(year=2026, province=province, minimum_ratio=Decimal("0.30"))
    ReserveRatioRule.objects.create(year=2026, province=None, minimum_ratio=Decimal("0.12"))
    with pytest.raises(PlanFilingError) as excinfo:
        file(team, reserve_ratio=Decimal("0.15"))
    assert excinfo.value.code == "plan_ratio_below_minimum"
    assert excinfo.value.params["minimum"] == "30%"
    assert file(team, reserve_ratio=Decimal("0.30")).reserve_ratio == Decimal("0.30")


def test_ratio_minimum_is_the_own_province_rule_else_the_national_rule_else_the_setting(
    team, settings
):
    settings.PROCUREMENT_DEFAULT_RESERVE_RATIO = Decimal("0.10")
    region = team.organisation.region
    # Created in an order that puts the national row between the province rows,
    # so neither primary keys nor insertion order can decide the lookup.
    ReserveRatioRule.objects.create(
        year=2026, province=county("441426").province, minimum_ratio=Decimal("0.30")
    )
    ReserveRatioRule.objects.create(year=2025, province=None, minimum_ratio=Decimal("0.11"))
    assert reserve_ratio_minimum(year=2026, region=region) == Decimal("0.10")
    ReserveRatioRule.objects.create(year=2026, province=None, minimum_ratio=Decimal("0.12"))
    assert reserve_ratio_minimum(year=2026, region=region) == Decimal("0.12")
    ReserveRatioRule.objects.create(
        year=2026, province=region.province, minimum_ratio=Decimal("0.20")
    )
    assert reserve_ratio_minimum(year=2026, region=region) == Decimal("0.20")
    assert reserve_ratio_minimum(year=2026, region=None) == Decimal("0.12")
    assert reserve_ratio_minimum(year=2025, region=region) == Decimal("0.11")


def test_default_minimum_comes_from_settings(team, settings):
    settings.PROCUREMENT_DEFAULT_RESERVE_RATIO = Decimal("0.20")
    with pytest.raises(PlanFilingError) as excinfo:
        file(team, reserve_ratio=Decimal("0.15"))
    assert excinfo.value.code == "plan_ratio_below_minimum"


def test_revision_before_deadline_keeps_every_version_and_needs_a_reason(team):
    file(team)
    with pytest.raises(PlanFilingError) as excinfo:
        file(team, canteen_budget=Decimal("900000"))
    assert excinfo.value.code == "plan_revision_reason_required"
    plan = file(team, canteen_budget=Decimal("900000"), reason="新增分食堂")
    assert plan.revision == 1
    assert [r.canteen_budget for r in plan.revisions.order_by("number")] == [
        Decimal("800000.00"),
        Decimal("900000.00"),
    ]
    assert plan.target_amount == Decimal("135000.00")


def test_no_filing_or_revision_after_the_deadline(team):
    file(team)
    with pytest.raises(PlanFilingError) as excinfo:
        file(team, canteen_budget=Decimal("1"), reason="迟报", today=datetime.date(2026, 4, 1))
    assert excinfo.value.code == "plan_deadline_passed"
    assert team.organisation.plans.get().canteen_budget == Decimal("800000.00")


def test_shared_canteen_points_to_a_representative_with_its_own_plan_and_has_no_quota(team):
    representative = Team()
    with pytest.raises(PlanFilingError) as excinfo:
        file(team, canteen_status=CanteenStatus.SHARED, represented_by=representative.organisation)
    assert excinfo.value.code == "plan_representative_not_filed"
    file(representative)
    plan = file(
        team, canteen_status=CanteenStatus.SHARED, represented_by=representative.organisation
    )
    assert plan.target_amount == Decimal("0.00")
    assert plan.represented_by == representative.organisation


def test_unit_without_canteen_has_no_quota(team):
    plan = file(team, canteen_status=CanteenStatus.NONE)
    assert plan.target_amount == Decimal("0.00")


def test_only_the_unit_admin_files_and_unions_do_not_file(team):
    with pytest.raises(ProcurementPermissionDenied) as excinfo:
        file(team, actor=team.purchaser)
    assert excinfo.value.code == "procurement_permission_denied"
    union = Team(kind="union", union_of=team.organisation)
    with pytest.raises(PlanFilingError) as excinfo:
        file(union)
    assert excinfo.value.code == "plan_filed_by_union"


def test_pending_organisation_cannot_file():
    team = Team(organisation=BuyerOrganisationFactory(status="pending"))
    with pytest.raises(ProcurementPermissionDenied) as excinfo:
        file(team)
    assert excinfo.value.code == "organisation_not_active"
