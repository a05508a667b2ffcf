"""Procurement e-mails link to the page they are about, on the configured site
(issue 11, agencies: every link went to http://example.com/…, and nobody was
told when a contract was declined or accepted)."""

import re

import pytest
from django.contrib.sites.models import Site
from django.test import override_settings

from common.sites import site_sync
from procurement import services
from procurement.models import ContractStatus
from tests.factories.procurement import approved_contracts, contract_in_state, submitted_order

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://shop\.example\.cn(/procurement/\S+)")


@pytest.fixture
def shop_site(settings):
    settings.SITE_DOMAIN = "shop.example.cn"
    settings.SITE_NAME = "某省消费帮扶商城"
    settings.OSCAR_URL_SCHEMA = "https"
    site_sync()


def _links(mail) -> list[str]:
    return LINK.findall(mail.body)


def test_the_sites_row_follows_the_settings_after_migrate(settings):
    current = Site.objects.get_current()
    assert (current.domain, current.name) == (settings.SITE_DOMAIN, settings.SITE_NAME)
    assert current.domain != "example.com"
    with override_settings(SITE_DOMAIN="shop.example.cn", SITE_NAME="某省消费帮扶商城"):
        site_sync()
        current = Site.objects.get_current()
        assert (current.domain, current.name) == ("shop.example.cn", "某省消费帮扶商城")


def test_every_step_mails_its_party_with_a_link_to_the_page(
    shop_site, team, product, seller, mailoutbox, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        order = submitted_order(team, [(product, 3)])
    (to_approver,) = mailoutbox
    assert team.approver.email in to_approver.to
    assert _links(to_approver) == [f"/procurement/orders/{order.pk}/"]

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.purchase_order_decide(order=order, actor=team.approver, approve=True)
    contract = order.contracts.get()
    by_recipient = {address: mail for mail in mailoutbox for address in mail.to}
    assert _links(by_recipient[team.purchaser.email]) == [f"/procurement/orders/{order.pk}/"]
    assert _links(by_recipient[seller.email]) == [f"/procurement/contracts/{contract.pk}/"]

    # The link opens the page for the person it was sent to.
    client.force_login(seller)
    assert client.get(_links(by_recipient[seller.email])[0]).status_code == 200


def test_the_purchaser_is_told_when_a_contract_is_declined(
    shop_site, team, product, seller, mailoutbox, django_capture_on_commit_callbacks
):
    (contract,) = approved_contracts(team, [(product, 3)])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.contract_decline(contract=contract, actor=seller, reason="产能不足")
    (mail,) = mailoutbox
    assert team.purchaser.email in mail.to
    assert "产能不足" in mail.body
    assert _links(mail) == [f"/procurement/contracts/{contract.pk}/"]


def test_the_producer_is_told_when_a_contract_is_accepted(
    shop_site, team, product, seller, mailoutbox, django_capture_on_commit_callbacks
):
    contract = contract_in_state(team, product, 3, ContractStatus.SHIPPED, seller=seller)
    mailoutbox.clear()
    line = contract.lines.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.contract_accept(
            contract=contract,
            actor=team.purchaser,
            lines=[services.LineAcceptance(line_id=line.pk, received=3, accepted=3)],
            rating=5,
        )
    (mail,) = mailoutbox
    assert seller.email in mail.to
    assert _links(mail) == [f"/procurement/contracts/{contract.pk}/"]
