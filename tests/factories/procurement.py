"""Procurement factories and small builders that walk the real services, so a
contract in a given state got there the way production gets there."""

import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from procurement import services
from procurement.models import (
    AnnualPlan,
    BuyerOrganisation,
    CanteenStatus,
    Contract,
    ContractStatus,
    Membership,
    Pairing,
    PairingKind,
    PaymentTerms,
    PurchaseOrder,
)
from tests.factories.files import MINIMAL_PDF
from tests.factories.producers import DEFAULT_COUNTY_CODE, county, valid_uscc
from tests.factories.users import UserFactory

Kind = BuyerOrganisation.Kind
Role = Membership.Role

# 第 1–2 位 of a USCC: 11 机关, 12 事业单位, 91 企业, 81 工会, 59 其他 (民政登记).
BUYER_USCC_PREFIX = {
    Kind.AGENCY: "11",
    Kind.INSTITUTION: "12",
    Kind.SOE: "91",
    Kind.UNION: "81",
    Kind.OTHER: "59",
}
# Apart from producer (small) and demo (61–62 million) sequences.
_USCC_SEQ_BASE = 70_000_000


def evidence_file(name="evidence.pdf"):
    return ContentFile(MINIMAL_PDF, name=name)


class BuyerOrganisationFactory(DjangoModelFactory):
    class Meta:
        model = BuyerOrganisation

    kind = Kind.AGENCY
    name = factory.Sequence(lambda n: f"柞水县示范局{n}")
    region = factory.LazyFunction(lambda: county(DEFAULT_COUNTY_CODE))
    uscc = factory.LazyAttributeSequence(
        lambda o, n: valid_uscc(
            _USCC_SEQ_BASE + n, region_code=o.region.code, prefix=BUYER_USCC_PREFIX[o.kind]
        )
    )
    status = BuyerOrganisation.Status.ACTIVE


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(BuyerOrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.PURCHASER


def member(organisation, *roles, user=None):
    """A user holding ``roles`` in ``organisation``."""
    user = user or UserFactory()
    for role in roles:
        MembershipFactory(organisation=organisation, user=user, role=role)
    return user


class AnnualPlanFactory(DjangoModelFactory):
    class Meta:
        model = AnnualPlan

    organisation = factory.SubFactory(BuyerOrganisationFactory)
    year = 2026
    canteen_status = CanteenStatus.OWN
    canteen_budget = Decimal("1000000.00")
    reserve_ratio = Decimal("0.1000")
    filing_deadline = factory.LazyAttribute(lambda o: datetime.date(o.year, 3, 31))


class Team:
    """A unit with one member per role (the purchaser is not the approver)."""

    def __init__(self, organisation=None, **org_kwargs):
        self.organisation = organisation or BuyerOrganisationFactory(**org_kwargs)
        self.purchaser = member(self.organisation, Role.PURCHASER)
        self.approver = member(self.organisation, Role.APPROVER)
        self.finance = member(self.organisation, Role.FINANCE)
        self.admin = member(self.organisation, Role.ADMIN)


def producer_user(producer):
    user = UserFactory()
    producer.partner.users.add(user)
    return user


def draft_order(
    team, items, *, payment_terms=PaymentTerms.GOODS_FIRST, preorder=False
) -> PurchaseOrder:
    """items: [(product, quantity)], each product with one stock record; with
    ``preorder`` every line is marked 预订."""
    order = services.purchase_order_create(
        organisation=team.organisation,
        purchaser=team.purchaser,
        delivery_address="陕西省西安市未央区凤城八路 1 号 机关食堂",
        requested_delivery_date=timezone.localdate() + datetime.timedelta(days=14),
        payment_terms=payment_terms,
    )
    for product, quantity in items:
        services.purchase_order_line_set(
            order=order,
            actor=team.purchaser,
            stockrecord=product.stockrecords.get(),
            quantity=quantity,
            is_preorder=preorder,
        )
    return order


def submitted_order(team, items, **kwargs) -> PurchaseOrder:
    return services.purchase_order_submit(
        order=draft_order(team, items, **kwargs), actor=team.purchaser
    )


def approved_contracts(team, items, **kwargs) -> list[Contract]:
    order = submitted_order(team, items, **kwargs)
    services.purchase_order_decide(order=order, actor=team.approver, approve=True)
    return list(order.contracts.order_by("pk"))


def contract_in_state(team, product, quantity, state, *, seller=None, accepted_on=None, **kwargs):
    """One contract for ``product`` walked through the services up to ``state``."""
    seller = seller or producer_user(product.producer)
    (contract,) = approved_contracts(team, [(product, quantity)], **kwargs)
    if state == ContractStatus.AWAITING:
        return contract
    if state == ContractStatus.DECLINED:
        return services.contract_decline(contract=contract, actor=seller, reason="产能不足")
    contract = services.contract_confirm(contract=contract, actor=seller)
    if state == ContractStatus.CONFIRMED:
        return contract
    if state == ContractStatus.CANCELLED:
        cancellation = services.contract_cancel_propose(
            contract=contract, actor=team.purchaser, reason="食堂停用，协商解除"
        )
        services.contract_cancel_decide(cancellation=cancellation, actor=seller, agree=True)
        contract.refresh_from_db()
        return contract
    contract = services.contract_ship(
        contract=contract, actor=seller, carrier="中国邮政", tracking_number="9876543210"
    )
    if state == ContractStatus.SHIPPED:
        return contract
    line = contract.lines.get()
    contract = services.contract_accept(
        contract=contract,
        actor=team.purchaser,
        lines=[services.LineAcceptance(line_id=line.pk, received=quantity, accepted=quantity)],
        rating=5,
        today=accepted_on,
    )
    if state == ContractStatus.ACCEPTED:
        return contract
    services.payment_record(
        contract=contract,
        actor=team.finance,
        reference=f"ZZ{contract.pk:08d}",
        paid_on=min(timezone.localdate(), contract.accepted_on),
        amount=contract.payable_amount,
    )
    contract.refresh_from_db()
    return contract


class PairingFactory(DjangoModelFactory):
    """A designated-assistance pairing of a unit with 柞水县, open-ended;
    pass ``helped_counties=[...]`` for others."""

    class Meta:
        model = Pairing
        skip_postgeneration_save = True

    kind = PairingKind.DESIGNATED
    name = factory.Sequence(lambda n: f"定点帮扶结对{n}")
    helper_unit = factory.SubFactory(BuyerOrganisationFactory)
    helper_region = None
    starts_on = factory.LazyFunction(lambda: datetime.date(timezone.localdate().year, 1, 1))
    ends_on = None

    @factory.post_generation
    def helped_counties(obj, create, extracted, **kwargs):
        if create:
            obj.helped_counties.set(
                extracted if extracted is not None else [county(DEFAULT_COUNTY_CODE)]
            )
