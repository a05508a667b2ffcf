"""Minimum reserve-ratio rules (预留比例规则) kept by platform staff on a
dashboard page, not the Django admin; their checks are the model's."""

import datetime
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from procurement.exceptions import (
    PlanFilingError,
    ProcurementPermissionDenied,
    ReserveRatioRuleError,
)
from procurement.models import CanteenStatus, ReserveRatioRule
from procurement.services import annual_plan_file, reserve_ratio_rule_save
from tests.factories import CountyReviewerFactory, StaffUserFactory, UserFactory, county
from tests.factories.procurement import member

pytestmark = pytest.mark.django_db

LIST = reverse("procurement:ratio-rules")
BEFORE_DEADLINE = datetime.date(2026, 2, 1)


def staff_member():
    return StaffUserFactory(is_superuser=False)


def rules():
    return [model_to_dict(r) | {"pk": r.pk} for r in ReserveRatioRule.objects.order_by("pk")]


def save(**kwargs):
    return reserve_ratio_rule_save(
        **({"actor": staff_member(), "year": 2026, "province": None} | kwargs)
    )


# --- Service ----------------------------------------------------------------


def test_staff_add_and_change_a_rule():
    rule = save(minimum_ratio=Decimal("0.1200"))
    shaanxi = county("611026").province
    changed = save(rule=rule, province=shaanxi, minimum_ratio=Decimal("0.3000"))
    assert changed.pk == rule.pk
    assert rules() == [
        {
            "id": rule.pk,
            "pk": rule.pk,
            "year": 2026,
            "province": shaanxi.pk,
            "minimum_ratio": Decimal("0.3000"),
        }
    ]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"minimum_ratio": Decimal("1.5")}, "ratio_rule_out_of_range"),
        ({"minimum_ratio": Decimal("-0.1")}, "ratio_rule_out_of_range"),
        ({"minimum_ratio": Decimal("0.12"), "year": 2025}, "ratio_rule_overlap"),
        ({"minimum_ratio": Decimal("0.12"), "province": "city"}, "ratio_rule_not_province"),
        ({"minimum_ratio": Decimal("0.12"), "year": 70000}, "ratio_rule_invalid"),
    ],
)
def test_the_models_rules_refuse_bad_rules_with_codes(kwargs, code):
    save(year=2025, minimum_ratio=Decimal("0.10"))
    if kwargs.get("province") == "city":
        kwargs["province"] = county("611026").parent
    before = rules()
    with pytest.raises(ReserveRatioRuleError) as excinfo:
        save(**kwargs)
    assert excinfo.value.code == code
    assert rules() == before


def test_one_rule_per_year_and_province_when_editing_too():
    shaanxi = county("611026").province
    save(province=shaanxi, minimum_ratio=Decimal("0.30"))
    national = save(minimum_ratio=Decimal("0.10"))
    before = rules()
    with pytest.raises(ReserveRatioRuleError) as excinfo:
        save(rule=national, province=shaanxi, minimum_ratio=Decimal("0.20"))
    assert excinfo.value.code == "ratio_rule_overlap"
    assert "陕西省" in str(excinfo.value)
    assert rules() == before


def test_only_platform_staff_keep_rules():
    for outsider in (UserFactory(), CountyReviewerFactory().user):
        with pytest.raises(ProcurementPermissionDenied) as excinfo:
            save(actor=outsider, minimum_ratio=Decimal("0.10"))
        assert excinfo.value.code == "procurement_staff_only"
    assert rules() == []


def test_a_changed_rule_leaves_filed_plans_alone_and_binds_their_next_revision(team):
    rule = save(minimum_ratio=Decimal("0.10"))
    plan = annual_plan_file(
        organisation=team.organisation,
        actor=team.admin,
        year=2026,
        canteen_status=CanteenStatus.OWN,
        canteen_budget=Decimal("800000"),
        reserve_ratio=Decimal("0.12"),
        today=BEFORE_DEADLINE,
    )
    save(rule=rule, minimum_ratio=Decimal("0.15"))
    plan.refresh_from_db()
    assert (plan.reserve_ratio, plan.revision) == (Decimal("0.1200"), 0)
    with pytest.raises(PlanFilingError) as excinfo:
        annual_plan_file(
            organisation=team.organisation,
            actor=team.admin,
            year=2026,
            canteen_status=CanteenStatus.OWN,
            canteen_budget=Decimal("900000"),
            reserve_ratio=Decimal("0.12"),
            reason="预算调整",
            today=BEFORE_DEADLINE,
        )
    assert excinfo.value.code == "plan_ratio_below_minimum"


# --- Staff page ---------------------------------------------------------------


def test_a_staff_member_who_is_not_a_superuser_adds_and_edits_rules(client):
    client.force_login(staff_member())
    shaanxi = county("611026").province
    response = client.post(
        LIST, {"year": "2026", "province": shaanxi.pk, "minimum_ratio_percent": "30"}
    )
    assert response.status_code == 302
    rule = ReserveRatioRule.objects.get()
    assert (rule.year, rule.province, rule.minimum_ratio) == (2026, shaanxi, Decimal("0.3000"))
    page = client.get(LIST).content.decode()
    assert "陕西省" in page and "30%" in page
    edit = reverse("procurement:ratio-rule-edit", args=[rule.pk])
    assert client.get(edit).context["form"].initial["minimum_ratio_percent"] == Decimal("30.00")
    response = client.post(edit, {"year": "2026", "province": "", "minimum_ratio_percent": "12.5"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.province, rule.minimum_ratio) == (None, Decimal("0.1250"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": "2026", "minimum_ratio_percent": "150"}, "最低预留比例须在 0% 到 100% 之间"),
        ({"year": "2026", "minimum_ratio_percent": "-1"}, "最低预留比例须在 0% 到 100% 之间"),
        ({"year": "2025", "minimum_ratio_percent": "12"}, "2025 年度全国已有预留比例规则"),
        ({"year": "2026", "minimum_ratio_percent": "abc"}, "输入一个数字"),
        ({"year": "", "minimum_ratio_percent": "10"}, "必需字段"),
        (
            {"year": "2026", "province": "999999", "minimum_ratio_percent": "10"},
            "选择一个有效的选项",
        ),
    ],
)
def test_bad_input_shows_a_chinese_message_and_changes_nothing(client, data, message):
    save(year=2025, minimum_ratio=Decimal("0.10"))
    client.force_login(staff_member())
    before = rules()
    response = client.post(LIST, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert rules() == before


def test_a_city_is_not_offered_as_a_province(client):
    city = county("611026").parent
    client.force_login(staff_member())
    response = client.post(
        LIST, {"year": "2026", "province": city.pk, "minimum_ratio_percent": "10"}
    )
    assert response.status_code == 200 and response.context["form"].errors["province"]
    assert rules() == []


def test_unknown_rules_are_a_404_and_outsiders_are_refused(client, team):
    rule = save(minimum_ratio=Decimal("0.10"))
    edit = reverse("procurement:ratio-rule-edit", args=[rule.pk])
    client.force_login(staff_member())
    assert client.get(reverse("procurement:ratio-rule-edit", args=[rule.pk + 1])).status_code == 404
    before = rules()
    unit_everything = member(team.organisation, "purchaser", "approver", "finance", "admin")
    for outsider in (unit_everything, CountyReviewerFactory().user):
        client.force_login(outsider)
        assert client.get(LIST).status_code == 403
        assert client.get(edit).status_code == 403
        data = {"year": "2026", "minimum_ratio_percent": "50"}
        assert client.post(LIST, data).status_code == 403
        assert client.post(edit, data).status_code == 403
    assert rules() == before


def test_the_list_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for year in range(2020, 2027):
        save(year=year, minimum_ratio=Decimal("0.10"))
        save(year=year, province=county("611026").province, minimum_ratio=Decimal("0.15"))
    client.force_login(staff_member())
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200
