import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from procurement import services
from procurement.exceptions import IllegalTransition, OffPlatformError, ProcurementPermissionDenied
from procurement.models import OffPlatformPurchase
from procurement.selectors import unit_progress
from tests.factories import StaffUserFactory, county
from tests.factories.procurement import Team, evidence_file

# What counts after verification and correction is decided in SQL: run on SQLite too.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

TODAY = timezone.localdate()


def record(team, *, amount="10000", **kwargs):
    return services.off_platform_purchase_record(
        organisation=team.organisation,
        actor=team.purchaser,
        channel=OffPlatformPurchase.Channel.DIRECT,
        supplier_name="紫阳县汉江富硒茶叶专业合作社",
        origin_county=county("610924"),
        amount=Decimal(amount),
        purchased_on=TODAY,
        category="茶叶",
        evidence=evidence_file(),
        **kwargs,
    )


@pytest.fixture
def staff(db):
    return StaffUserFactory()


def test_off_platform_purchase_counts_only_after_staff_verify_it(team, staff):
    purchase = record(team)
    assert unit_progress(unit=team.organisation, year=TODAY.year).counted == Decimal("0.00")
    with pytest.raises(ProcurementPermissionDenied) as excinfo:
        services.off_platform_purchase_verify(record=purchase, actor=team.admin, approve=True)
    assert excinfo.value.code == "procurement_staff_only"
    services.off_platform_purchase_verify(record=purchase, actor=staff, approve=True)
    assert unit_progress(unit=team.organisation, year=TODAY.year).counted == Decimal("10000.00")
    with pytest.raises(IllegalTransition) as excinfo:
        services.off_platform_purchase_verify(record=purchase, actor=staff, approve=False, note="x")
    assert excinfo.value.code == "off_platform_already_verified"


def test_rejection_needs_a_reason(team, staff):
    purchase = record(team)
    with pytest.raises(OffPlatformError) as excinfo:
        services.off_platform_purchase_verify(record=purchase, actor=staff, approve=False)
    assert excinfo.value.code == "off_platform_reject_note_required"
    services.off_platform_purchase_verify(
        record=purchase, actor=staff, approve=False, note="凭证不清"
    )
    assert unit_progress(unit=team.organisation, year=TODAY.year).counted == Decimal("0.00")


def test_correction_is_a_new_record_that_replaces_the_old_once_verified(team, staff):
    original = record(team)
    services.off_platform_purchase_verify(record=original, actor=staff, approve=True)
    with pytest.raises(OffPlatformError) as excinfo:
        record(team, amount="8000", corrects=original)
    assert excinfo.value.code == "off_platform_correction_reason_required"
    correction = record(team, amount="8000", corrects=original, correction_reason="金额录入错误")
    # Until staff verify the correction the verified original still counts.
    assert unit_progress(unit=team.organisation, year=TODAY.year).counted == Decimal("10000.00")
    services.off_platform_purchase_verify(record=correction, actor=staff, approve=True)
    assert unit_progress(unit=team.organisation, year=TODAY.year).counted == Decimal("8000.00")
    original.refresh_from_db()
    assert original.amount == Decimal("10000.00")  # kept as it was
    assert OffPlatformPurchase.objects.count() == 2


def test_a_record_has_at_most_one_live_correction(team, staff):
    original = record(team)
    record(team, amount="9000", corrects=original, correction_reason="第一次更正")
    with pytest.raises(OffPlatformError) as excinfo:
        record(team, amount="7000", corrects=original, correction_reason="第二次更正")
    assert excinfo.value.code == "off_platform_already_corrected"
    with pytest.raises(IntegrityError):
        OffPlatformPurchase.objects.create(
            organisation=team.organisation,
            channel="direct",
            supplier_name="x",
            origin_county=original.origin_county,
            amount=1,
            purchased_on=TODAY,
            category="x",
            evidence="x.pdf",
            corrects=original,
            correction_reason="绕过服务",
            recorded_by=team.purchaser,
        )


def test_another_units_record_cannot_be_corrected(team):
    other = Team()
    original = record(other)
    with pytest.raises(ProcurementPermissionDenied) as excinfo:
        record(team, corrects=original, correction_reason="不是我的")
    assert excinfo.value.code == "procurement_permission_denied"


def test_future_dates_and_non_county_origins_are_refused(team):
    with pytest.raises(OffPlatformError) as excinfo:
        services.off_platform_purchase_record(
            organisation=team.organisation,
            actor=team.purchaser,
            channel="direct",
            supplier_name="x",
            origin_county=county("610924").parent,
            amount=Decimal("1"),
            purchased_on=TODAY,
            category="茶叶",
            evidence=evidence_file(),
        )
    assert excinfo.value.code == "off_platform_origin_not_county"
    with pytest.raises(OffPlatformError) as excinfo:
        services.off_platform_purchase_record(
            organisation=team.organisation,
            actor=team.purchaser,
            channel="direct",
            supplier_name="x",
            origin_county=county("610924"),
            amount=Decimal("1"),
            purchased_on=TODAY + datetime.timedelta(days=1),
            category="茶叶",
            evidence=evidence_file(),
        )
    assert excinfo.value.code == "off_platform_date_in_future"
