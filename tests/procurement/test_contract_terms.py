"""The contract's payment terms form shows the stored daily interest as a percent
through common.numbers, so saving it unchanged keeps the rate (it used to show
0.0500000, seven places, which the form's four refused)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from procurement.models import ContractStatus
from tests.factories.procurement import contract_in_state

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rate", ["0.000500", "0.000123", "0.001000", "0.000000"])
def test_saving_the_unchanged_terms_form_keeps_the_rate(client, team, product, seller, rate):
    contract = contract_in_state(team, product, 2, ContractStatus.AWAITING, seller=seller)
    contract.daily_interest_rate = Decimal(rate)
    contract.save(update_fields=["daily_interest_rate"])
    url = reverse("procurement:contract-detail", args=[contract.pk])
    client.force_login(team.finance)
    form = client.get(url).context["forms"]["terms"]
    shown = form["daily_interest_percent"].value()
    assert shown == Decimal(rate) * 100
    response = client.post(
        url,
        {
            "action": "terms",
            "terms-payment_days": form["payment_days"].value(),
            "terms-daily_interest_percent": str(shown),
        },
    )
    assert response.status_code == 302, response.context["forms"]["terms"].errors
    contract.refresh_from_db()
    assert contract.daily_interest_rate == Decimal(rate)
    assert contract.payment_days == 30
    log = contract.transitions.last()
    assert log.action == "set_terms"


def test_a_typed_percent_is_stored_as_the_ratio(client, team, product, seller):
    contract = contract_in_state(team, product, 2, ContractStatus.AWAITING, seller=seller)
    url = reverse("procurement:contract-detail", args=[contract.pk])
    client.force_login(team.admin)
    response = client.post(
        url, {"action": "terms", "terms-payment_days": "45", "terms-daily_interest_percent": "0.03"}
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.payment_days, contract.daily_interest_rate) == (45, Decimal("0.000300"))
