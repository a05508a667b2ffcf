"""Buyer units of every kind with members, annual plans, orders whose contracts
end in every state, settlement, off-platform purchases and an SOE's helped
sales, all through procurement's services (demo/data/procurement.toml).

Units and memberships are found by natural key; orders, off-platform records
and helped sales are only made while the demo units have none."""

import datetime
from decimal import Decimal

from django.utils import timezone
from oscar.core.loading import get_model

from demo.data import load
from demo.seed import pictures
from demo.seed.accounts import account, login
from demo.seed.identifiers import county, moment, uscc
from demo.seed.tally import Tally
from procurement import services
from procurement.models import (
    BuyerOrganisation,
    Contract,
    ContractStatus,
    HelpedSale,
    Membership,
    OffPlatformPurchase,
    PaymentTerms,
    PurchaseOrder,
    ReserveRatioRule,
)
from regions.models import Region

StockRecord = get_model("partner", "StockRecord")
Role = Membership.Role

# Whose login holds each role in the demo units (people.toml).
ROLE_LOGINS = {
    Role.PURCHASER: "purchaser",
    Role.APPROVER: "approver",
    Role.FINANCE: "finance",
    Role.ADMIN: "unit_admin",
}


def _units(*, staff) -> tuple[dict[str, BuyerOrganisation], int]:
    data = load("procurement")
    units, created = {}, 0
    for sequence, spec in enumerate(data["units"], start=data["uscc"]["sequence_start"]):
        credit_code = uscc(
            prefix=data["uscc"]["prefix"][spec["kind"]],
            region_code=spec["region"],
            sequence=sequence,
        )
        unit = BuyerOrganisation.objects.filter(uscc=credit_code).first()
        if unit is None:
            unit = services.buyer_organisation_create(
                actor=staff,
                kind=spec["kind"],
                name=spec["name"],
                uscc=credit_code,
                region=county(spec["region"]),
                parent=units.get(spec.get("parent")),
                union_of=units.get(spec.get("union_of")),
                is_sample=True,
            )
            created += 1
        units[spec["key"]] = unit
    return units, created


def _members(units, *, staff) -> dict[str, object]:
    people = {role: account(login(key)["email"])[0] for role, key in ROLE_LOGINS.items()}
    for spec in load("procurement")["units"]:
        unit = units[spec["key"]]
        for role in spec["roles"]:
            user = people[role]
            if not Membership.objects.filter(organisation=unit, user=user, role=role).exists():
                services.membership_invite(
                    organisation=unit, actor=staff, email=user.email, role=role
                )
    return people


def _plans(units, people, *, year: int) -> None:
    data = load("procurement")
    for rule in data["reserve_ratio_rules"]:
        province = Region.objects.filter(code=rule["province"]).first()
        if province is not None:
            # Staff keep these rules in the Django admin; no service owns them.
            ReserveRatioRule.objects.get_or_create(
                year=year,
                province=province,
                defaults={"minimum_ratio": Decimal(rule["minimum_ratio"])},
            )
    month, day = (int(part) for part in data["plans"]["filed_on"].split("-"))
    filed_on = datetime.date(year, month, day)
    admin = people[Role.ADMIN]

    def file(spec, *, today, reason=""):
        services.annual_plan_file(
            organisation=units[spec["unit"]],
            actor=admin,
            year=year,
            canteen_status=spec["canteen_status"],
            canteen_budget=Decimal(spec["canteen_budget"]),
            reserve_ratio=Decimal(spec["reserve_ratio"]),
            union_purchasing=spec.get("union_purchasing", False),
            represented_by=units.get(spec.get("represented_by")),
            reason=reason,
            today=today,
        )

    for spec in data["plans"]["filings"]:
        if not units[spec["unit"]].plans.filter(year=year).exists():
            file(spec, today=filed_on)
    for spec in data["plans"]["revisions"]:
        if units[spec["unit"]].plans.get(year=year).revision == 0:
            file(
                spec,
                today=filed_on + datetime.timedelta(days=spec["days_later"]),
                reason=spec["reason"],
            )


def _stockrecord(sku: str):
    return StockRecord.objects.select_related("product", "partner").get(
        partner_sku=sku, product__producer__is_sample=True
    )


def _order(unit, people, lines, *, until: str) -> PurchaseOrder:
    terms = load("procurement")["orders"]
    purchaser = people[Role.PURCHASER]
    order = services.purchase_order_create(
        organisation=unit,
        purchaser=purchaser,
        delivery_address=terms["delivery_address"],
        requested_delivery_date=timezone.localdate()
        + datetime.timedelta(days=terms["delivery_in_days"]),
        payment_terms=PaymentTerms.GOODS_FIRST,
    )
    for sku, quantity in lines:
        services.purchase_order_line_set(
            order=order, actor=purchaser, stockrecord=_stockrecord(sku), quantity=quantity
        )
    if until == "draft":
        return order
    services.purchase_order_submit(order=order, actor=purchaser)
    if until != "submitted":
        services.purchase_order_decide(order=order, actor=people[Role.APPROVER], approve=True)
    return order


def _accept(contract, people, *, on: datetime.date, short: int) -> Contract:
    lines = [
        services.LineAcceptance(
            line_id=line.pk,
            received=line.quantity,
            accepted=line.quantity - (short if i == 0 else 0),
            notes="少量破损，已拒收" if short and i == 0 else "",
        )
        for i, line in enumerate(contract.lines.order_by("pk"))
    ]
    return services.contract_accept(
        contract=contract,
        actor=people[Role.PURCHASER],
        lines=lines,
        rating=4 if short else 5,
        notes="包装完好，品质符合合同约定。",
        today=on,
    )


def _walk(contract, supplier, people, spec: dict) -> None:
    """Take a fresh contract to ``spec["until"]`` the way its parties would."""
    terms = load("procurement")["orders"]
    until = spec["until"]
    if until == ContractStatus.DECLINED:
        services.contract_decline(contract=contract, actor=supplier, reason=terms["decline_reason"])
        return
    amendment = services.contract_amendment_propose(
        contract=contract,
        actor=supplier,
        value=Decimal(terms["freight"]),
        reason=terms["freight_reason"],
    )
    services.contract_amendment_decide(
        amendment=amendment, actor=people[Role.PURCHASER], accept=True
    )
    contract = services.contract_confirm(contract=contract, actor=supplier)
    if until == ContractStatus.CONFIRMED:
        return
    if until == ContractStatus.CANCELLED:
        cancellation = services.contract_cancel_propose(
            contract=contract, actor=people[Role.PURCHASER], reason=terms["cancel_reason"]
        )
        services.contract_cancel_decide(cancellation=cancellation, actor=supplier, agree=True)
        return
    contract = services.contract_ship(
        contract=contract,
        actor=supplier,
        carrier=terms["carrier"],
        tracking_number=f"EMS{contract.pk:09d}",
    )
    if until == ContractStatus.SHIPPED:
        return
    accepted_on = moment(spec["accepted_on"])
    contract = _accept(contract, people, on=accepted_on, short=spec.get("short", 0))
    services.invoice_record(
        contract=contract,
        actor=supplier,
        number=f"2561{contract.pk:016d}",
        issued_on=accepted_on,
        amount=contract.payable_amount,
        scan=pictures.evidence_pdf(f"invoice-{contract.pk}.pdf"),
    )
    if until == ContractStatus.SETTLED:
        services.payment_record(
            contract=contract,
            actor=people[Role.FINANCE],
            reference=f"DEMO-HX-{contract.pk:06d}",
            paid_on=min(accepted_on + datetime.timedelta(days=12), timezone.localdate()),
            amount=contract.payable_amount,
        )


def _orders(units, people, supplier) -> int:
    """Place the orders and walk their contracts; returns the contracts made."""
    data = load("procurement")
    if PurchaseOrder.objects.filter(organisation__in=units.values()).exists():
        return 0
    skus = {sku for spec in data["orders"]["list"] for sku, _quantity in spec["lines"]}
    # Staff link a producer's logins in Oscar's dashboard; the supplier login
    # manages every producer the orders buy from.
    for sku in sorted(skus):
        _stockrecord(sku).partner.users.add(supplier)
    for spec in data["price_breaks"]:
        services.price_break_set(
            stockrecord=_stockrecord(spec["sku"]),
            actor=supplier,
            min_quantity=spec["min_quantity"],
            unit_price=Decimal(spec["unit_price"]),
        )
    made = 0
    for spec in data["orders"]["list"]:
        order = _order(units[spec["unit"]], people, spec["lines"], until=spec["until"])
        for contract in order.contracts.order_by("pk"):
            if spec["until"] != ContractStatus.AWAITING:
                _walk(contract, supplier, people, spec)
            elif "freight_requested" in spec:
                services.contract_amendment_propose(
                    contract=contract,
                    actor=supplier,
                    value=Decimal(spec["freight_requested"]),
                    reason=data["orders"]["freight_reason"],
                )
            made += 1
    return made


def _off_platform(units, people, *, staff) -> None:
    if OffPlatformPurchase.objects.filter(organisation__in=units.values()).exists():
        return
    records = {}
    for spec in load("procurement")["off_platform_purchases"]:
        record = services.off_platform_purchase_record(
            organisation=units[spec["unit"]],
            actor=people[Role.PURCHASER],
            channel=spec["channel"],
            supplier_name=spec["supplier_name"],
            origin_county=county(spec["origin_county"]),
            amount=Decimal(spec["amount"]),
            purchased_on=moment(spec["purchased_on"]),
            category=spec["category"],
            evidence=pictures.evidence_pdf(spec["evidence"]),
            corrects=records.get(spec.get("corrects")),
            correction_reason=spec.get("correction_reason", ""),
        )
        if "verified" in spec:
            services.off_platform_purchase_verify(
                record=record,
                actor=staff,
                approve=spec["verified"]["approve"],
                note=spec["verified"]["note"],
            )
        if "key" in spec:
            records[spec["key"]] = record


def _helped_sales(units, people, *, producers) -> None:
    if HelpedSale.objects.filter(organisation__in=units.values()).exists():
        return
    for spec in load("procurement")["helped_sales"]:
        services.helped_sale_record(
            organisation=units[spec["unit"]],
            actor=people[Role.PURCHASER],
            buyer_name=spec["buyer_name"],
            producer=producers[spec["producer"]],
            amount=Decimal(spec["amount"]),
            sold_on=moment(spec["sold_on"]),
            evidence=pictures.evidence_pdf(spec["evidence"]),
        )


def seed_procurement(*, staff, producers) -> dict[str, Tally]:
    """Needs the regions, the sample producers and their approved listings."""
    units, units_created = _units(staff=staff)
    people = _members(units, staff=staff)
    supplier, _created = account(login("supplier")["email"])
    _plans(units, people, year=timezone.localdate().year)
    contracts_created = _orders(units, people, supplier)
    _off_platform(units, people, staff=staff)
    _helped_sales(units, people, producers=producers)
    return {
        "buyer_units": Tally(units_created, len(units)),
        "contracts": Tally(
            contracts_created,
            Contract.objects.filter(order__organisation__in=units.values()).count(),
        ),
    }
