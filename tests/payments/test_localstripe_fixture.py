"""The Stripe tests need localstripe; under CI its absence fails them."""

import pytest

from tests.support.stripe import localstripe_unavailable as _localstripe_unavailable


@pytest.mark.parametrize("name", ["CI", "STRIPE_TEST_REQUIRED"])
def test_a_missing_localstripe_fails_the_test_under_ci(monkeypatch, name):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("STRIPE_TEST_REQUIRED", raising=False)
    monkeypatch.setenv(name, "1")
    with pytest.raises(pytest.fail.Exception):
        _localstripe_unavailable("localstripe at http://127.0.0.1:9 does not answer")


def test_a_missing_localstripe_skips_loudly_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("STRIPE_TEST_REQUIRED", raising=False)
    with pytest.raises(pytest.skip.Exception, match="STRIPE TESTS SKIPPED"):
        _localstripe_unavailable("localstripe at http://127.0.0.1:9 does not answer")


def test_localstripe_answers(localstripe_url):
    import requests

    assert requests.get(f"{localstripe_url}/js.stripe.com/v3/", timeout=5).ok
