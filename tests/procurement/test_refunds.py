"""A pay-first contract paid before delivery and accepted for less: the refund
owed is recorded at acceptance and settled when finance records it (issue 11,
agencies)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from procurement import services
from procurement.exceptions import (
    ProcurementPermissionDenied,
    RefundAlreadySettled,
    RefundDateInFuture,
    RefundNotOwed,
)
from procurement.models import ContractRefund, ContractStatus, PaymentTerms
from tests.factories.procurement import contract_in_state

pytestmark = pytest.mark.django_db


def _paid_then_accepted(team, product, seller, *, accepted: int):
    contract = contract_in_state(
        team,
        product,
        10,
        ContractStatus.CONFIRMED,
        seller=seller,
        payment_terms=PaymentTerms.PAY_FIRST,
    )
    services.payment_record(
        contract=contract,
        actor=team.finance,
        reference="PF1",
        paid_on=timezone.localdate(),
        amount=contract.goods_amount,
    )
    contract = services.contract_ship(
        contract=contract, actor=seller, carrier="EMS", tracking_number="1"
    )
    line = contract.lines.get()
    return services.contract_accept(
        contract=contract,
        actor=team.purchaser,
        lines=[services.LineAcceptance(line_id=line.pk, received=10, accepted=accepted)],
        rating=3,
    )


def test_accepting_less_than_was_paid_records_the_refund_owed(
    team, product, seller, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contract = _paid_then_accepted(team, product, seller, accepted=7)
    refund = ContractRefund.objects.get(contract=contract)
    # Paid 10 × 39.90 = 399.00 before delivery; 7 accepted = 279.30 payable.
    assert refund.amount == Decimal("119.70")
    assert not refund.is_settled
    assert contract.status == ContractStatus.SETTLED
    subjects = [mail.subject for mail in mailoutbox]
    assert any("应退款" in subject for subject in subjects)


def test_no_refund_when_everything_paid_for_was_accepted(team, product, seller):
    contract = _paid_then_accepted(team, product, seller, accepted=10)
    assert not ContractRefund.objects.filter(contract=contract).exists()
    with pytest.raises(RefundNotOwed) as excinfo:
        services.contract_refund_settle(
            contract=contract,
            actor=team.finance,
            reference="R1",
            refunded_on=timezone.localdate(),
        )
    assert excinfo.value.code == "refund_not_owed"


def test_finance_records_the_refund_once_on_the_contract_page(client, team, product, seller):
    contract = _paid_then_accepted(team, product, seller, accepted=7)
    url = reverse("procurement:contract-detail", args=[contract.pk])
    client.force_login(team.finance)
    assert "¥119.70" in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "action": "refund",
            "refund-reference": "TK20261202001",
            "refund-refunded_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    refund = ContractRefund.objects.get(contract=contract)
    assert (refund.reference, refund.settled_by, refund.is_settled) == (
        "TK20261202001",
        team.finance,
        True,
    )
    with pytest.raises(RefundAlreadySettled) as excinfo:
        services.contract_refund_settle(
            contract=contract,
            actor=team.finance,
            reference="again",
            refunded_on=timezone.localdate(),
        )
    assert excinfo.value.code == "refund_already_settled"


def test_only_the_units_finance_records_a_refund_and_not_in_the_future(team, product, seller):
    contract = _paid_then_accepted(team, product, seller, accepted=7)
    with pytest.raises(ProcurementPermissionDenied):
        services.contract_refund_settle(
            contract=contract, actor=seller, reference="R1", refunded_on=timezone.localdate()
        )
    with pytest.raises(RefundDateInFuture) as excinfo:
        services.contract_refund_settle(
            contract=contract,
            actor=team.finance,
            reference="R1",
            refunded_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert excinfo.value.code == "refund_date_in_future"
    assert not ContractRefund.objects.get(contract=contract).is_settled
