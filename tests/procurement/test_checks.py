"""Start-up checks refuse procurement settings under which contracts or plans
could not be saved."""

from decimal import Decimal

import pytest
from django.core import checks

from procurement.checks import procurement_settings_check


def _ids(messages):
    return [message.id for message in messages]


@pytest.mark.parametrize("days", [90, 61, 0, -5, "30", 30.0, True])
def test_payment_days_outside_the_legal_range_are_refused(settings, days):
    settings.PROCUREMENT_PAYMENT_DAYS = days
    assert _ids(procurement_settings_check()) == ["procurement.E001"]


@pytest.mark.parametrize("days", [1, 30, 60])
def test_payment_days_inside_the_legal_range_pass(settings, days):
    settings.PROCUREMENT_PAYMENT_DAYS = days
    assert procurement_settings_check() == []


def test_the_check_runs_with_django_s_own_checks(settings):
    settings.PROCUREMENT_PAYMENT_DAYS = 90
    assert "procurement.E001" in _ids(checks.run_checks())


@pytest.mark.parametrize(
    "rate",
    [Decimal("-0.0005"), Decimal("0.0000001"), Decimal("10"), 0.0005, "0.0005"],
)
def test_a_daily_late_interest_a_contract_cannot_store_is_refused(settings, rate):
    settings.PROCUREMENT_DAILY_LATE_INTEREST = rate
    assert _ids(procurement_settings_check()) == ["procurement.E002"]


@pytest.mark.parametrize("rate", [Decimal("0"), Decimal("0.0005"), Decimal("0.000275")])
def test_a_storable_daily_late_interest_passes(settings, rate):
    settings.PROCUREMENT_DAILY_LATE_INTEREST = rate
    assert procurement_settings_check() == []


@pytest.mark.parametrize(
    "ratio", [Decimal("-0.1"), Decimal("1.5"), Decimal("0.12345"), 0.1, "0.10"]
)
def test_a_default_reserve_ratio_outside_zero_to_one_is_refused(settings, ratio):
    settings.PROCUREMENT_DEFAULT_RESERVE_RATIO = ratio
    assert _ids(procurement_settings_check()) == ["procurement.E003"]


@pytest.mark.parametrize("ratio", [Decimal("0"), Decimal("0.10"), Decimal("0.3"), Decimal("1")])
def test_a_default_reserve_ratio_from_zero_to_one_passes(settings, ratio):
    settings.PROCUREMENT_DEFAULT_RESERVE_RATIO = ratio
    assert procurement_settings_check() == []


def test_the_freight_cap_must_fit_the_freight_column(settings):
    for cap in (Decimal("-1"), Decimal("100000000"), Decimal("10.001"), 5000, "5000"):
        settings.PROCUREMENT_FREIGHT_MAX = cap
        assert _ids(procurement_settings_check()) == ["procurement.E004"], cap
    for cap in (Decimal("0"), Decimal("5000"), Decimal("99999999.99")):
        settings.PROCUREMENT_FREIGHT_MAX = cap
        assert procurement_settings_check() == [], cap


def test_the_freight_share_is_from_zero_to_one(settings):
    for share in (Decimal("-0.1"), Decimal("1.01"), Decimal("0.12345"), 0.3, "0.30"):
        settings.PROCUREMENT_FREIGHT_MAX_SHARE = share
        assert _ids(procurement_settings_check()) == ["procurement.E005"], share
    for share in (Decimal("0"), Decimal("0.30"), Decimal("0.125"), Decimal("1")):
        settings.PROCUREMENT_FREIGHT_MAX_SHARE = share
        assert procurement_settings_check() == [], share
