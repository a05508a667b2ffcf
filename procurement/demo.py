"""Procurement demo data: buyer units of every kind with members, annual plans,
orders and contracts in every state, settlement, off-platform purchases and an
SOE's helped sales, all made through the services on the producers and
products that ``marketplace.demo`` seeds.

Safe to run again: units and users are found by natural key, and the orders,
contracts and records are only made for a unit that has none yet.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.models import ReviewStatus
from procurement import services
from procurement.models import (
    BuyerOrganisation,
    CanteenStatus,
    Membership,
    PaymentTerms,
    PriceBreak,
    ReserveRatioRule,
)
from producers.models import Producer
from regions.models import Region
from tests.factories import UserFactory, county, valid_uscc
from tests.factories.procurement import BUYER_USCC_PREFIX

Product = get_model("catalogue", "Product")
Kind = BuyerOrganisation.Kind
Role = Membership.Role

UNIT_PASSWORD = "demo-unit-2026"
SUPPLIER_EMAIL = "supplier@example.com"
# One login per role, for the provincial bureau; the other units share the
# admin login so a visitor can switch units without more passwords.
UNIT_LOGINS = {
    Role.PURCHASER: "purchaser@example.com",
    Role.APPROVER: "approver@example.com",
    Role.FINANCE: "finance@example.com",
    Role.ADMIN: "unit-admin@example.com",
}
_USCC_SEQ_BASE = 62_000_000

# key, kind, name, county code, parent key, union-of key
UNITS = (
    ("bureau", Kind.AGENCY, "陕西省乡村振兴局（示例）", "610102", None, None),
    ("city_bureau", Kind.AGENCY, "商洛市乡村振兴局（示例）", "611002", "bureau", None),
    ("institute", Kind.INSTITUTION, "陕西省农业科学研究院（示例）", "610102", "bureau", None),
    ("soe", Kind.SOE, "陕西秦岭交通建设集团有限公司（示例）", "610102", None, None),
    ("union", Kind.UNION, "陕西省乡村振兴局工会委员会（示例）", "610102", None, "bureau"),
    ("charity", Kind.OTHER, "西安市慈善会（示例）", "610102", None, None),
)


def _evidence(name: str) -> ContentFile:
    return ContentFile(b"%PDF-1.4\n% demo evidence\n", name=name)


def _user(email: str):
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    return user or UserFactory(email=email, username=email, password=UNIT_PASSWORD)


def _units(staff) -> dict[str, BuyerOrganisation]:
    units = {}
    for seq, (key, kind, name, code, parent, union_of) in enumerate(UNITS, start=_USCC_SEQ_BASE):
        region = county(code)
        uscc = valid_uscc(seq, region_code=region.code, prefix=BUYER_USCC_PREFIX[kind])
        unit = BuyerOrganisation.objects.filter(uscc=uscc).first()
        if unit is None:
            unit = services.buyer_organisation_create(
                actor=staff,
                kind=kind,
                name=name,
                uscc=uscc,
                region=region,
                parent=units.get(parent),
                union_of=units.get(union_of),
                is_sample=True,
            )
        units[key] = unit
    return units


def _members(units) -> dict[str, object]:
    people = {role: _user(email) for role, email in UNIT_LOGINS.items()}
    for unit in units.values():
        roles = Role.values if unit.kind != Kind.OTHER else [Role.ADMIN, Role.PURCHASER]
        for role in roles:
            Membership.objects.get_or_create(organisation=unit, user=people[role], role=role)
    return people


def _plans(units, people, year: int) -> None:
    guangdong = Region.objects.filter(code="440000").first()
    if guangdong is not None:
        ReserveRatioRule.objects.get_or_create(
            year=year, province=guangdong, defaults={"minimum_ratio": Decimal("0.30")}
        )
    filed_on = datetime.date(year, 1, 15)
    admin = people[Role.ADMIN]
    specs = (
        ("bureau", CanteenStatus.OWN, "1200000", "0.15", True, None),
        ("institute", CanteenStatus.OUTSOURCED, "800000", "0.10", False, None),
        ("soe", CanteenStatus.OWN, "3000000", "0.12", True, None),
        ("city_bureau", CanteenStatus.SHARED, "0", "0.10", False, "bureau"),
        ("charity", CanteenStatus.NONE, "0", "0.10", False, None),
    )
    for key, status, budget, ratio, union, representative in specs:
        if units[key].plans.filter(year=year).exists():
            continue
        services.annual_plan_file(
            organisation=units[key],
            actor=admin,
            year=year,
            canteen_status=status,
            canteen_budget=Decimal(budget),
            reserve_ratio=Decimal(ratio),
            union_purchasing=union,
            represented_by=units.get(representative),
            today=filed_on,
        )
    bureau_plan = units["bureau"].plans.get(year=year)
    if bureau_plan.revision == 0:
        services.annual_plan_file(
            organisation=units["bureau"],
            actor=admin,
            year=year,
            canteen_status=CanteenStatus.OWN,
            canteen_budget=Decimal("1350000"),
            reserve_ratio=Decimal("0.15"),
            union_purchasing=True,
            reason="新增机关二食堂，预算相应调增。",
            today=filed_on + datetime.timedelta(days=30),
        )


def _products_by_producer() -> dict[int, list]:
    grouped: dict[int, list] = {}
    for product in (
        Product.objects.filter(
            upc__startswith="DEMO-", producer__isnull=False, review_status=ReviewStatus.APPROVED
        )
        .select_related("producer__partner")
        .prefetch_related("stockrecords")
        .order_by("upc")
    ):
        if product.stockrecords.all():
            grouped.setdefault(product.producer_id, []).append(product)
    # Best-stocked first, so the demo contracts never run a product out.
    for products in grouped.values():
        products.sort(key=lambda p: -(p.stockrecords.all()[0].net_stock_level or 0))
    return grouped


def _order(unit, people, items, *, terms=PaymentTerms.GOODS_FIRST, submit=True, approve=True):
    order = services.purchase_order_create(
        organisation=unit,
        purchaser=people[Role.PURCHASER],
        delivery_address="陕西省西安市新城区新城大院 机关食堂",
        requested_delivery_date=timezone.localdate() + datetime.timedelta(days=10),
        payment_terms=terms,
    )
    for product, quantity in items:
        services.purchase_order_line_set(
            order=order,
            actor=people[Role.PURCHASER],
            stockrecord=product.stockrecords.all()[0],
            quantity=quantity,
        )
    if submit:
        services.purchase_order_submit(order=order, actor=people[Role.PURCHASER])
    if submit and approve:
        services.purchase_order_decide(order=order, actor=people[Role.APPROVER], approve=True)
    return order


def _accept_all(contract, people, *, on, short=0):
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
        rating=5 if not short else 4,
        notes="包装完好，品质符合合同约定。",
        today=on,
    )


def _walk(contract, supplier, people, state: str, *, accepted_on=None, short=0, paid=False):
    """Take a fresh contract to ``state`` the way its parties would."""
    if state == "declined":
        return services.contract_decline(contract=contract, actor=supplier, reason="该批次已售罄。")
    services.contract_freight_set(contract=contract, actor=supplier, freight=Decimal("60.00"))
    contract = services.contract_confirm(contract=contract, actor=supplier)
    if state == "confirmed":
        return contract
    contract = services.contract_ship(
        contract=contract,
        actor=supplier,
        carrier="中国邮政 EMS",
        tracking_number=f"EMS{contract.pk:09d}",
    )
    if state == "shipped":
        return contract
    contract = _accept_all(contract, people, on=accepted_on, short=short)
    services.invoice_record(
        contract=contract,
        actor=supplier,
        number=f"2561{contract.pk:016d}",
        issued_on=accepted_on,
        amount=contract.payable_amount,
        scan=_evidence(f"invoice-{contract.pk}.pdf"),
    )
    if paid:
        services.payment_record(
            contract=contract,
            actor=people[Role.FINANCE],
            reference=f"DEMO-HX-{contract.pk:06d}",
            paid_on=min(accepted_on + datetime.timedelta(days=12), timezone.localdate()),
            amount=contract.payable_amount,
        )
    return contract


def _orders_and_contracts(units, people, supplier, year: int) -> int:
    bureau = units["bureau"]
    if bureau.orders.exists():
        return 0
    by_producer = _products_by_producer()
    if len(by_producer) < 2:
        return 0
    producer_lists = list(by_producer.values())
    for products in producer_lists:
        products[0].producer.partner.users.add(supplier)
    first, second = producer_lists[0], producer_lists[1]
    record = first[0].stockrecords.all()[0]
    if record.price and record.price > 2:
        PriceBreak.objects.get_or_create(
            stockrecord=record,
            min_quantity=50,
            defaults={"unit_price": (record.price * Decimal("0.9")).quantize(Decimal("0.01"))},
        )

    today = timezone.localdate()
    # Early in the year where possible, so the month-by-month chart has a shape.
    start = datetime.date(year, 1, 1)
    early = min(today, max(start, today - datetime.timedelta(days=300)))
    mid = min(today, max(start, today - datetime.timedelta(days=45)))
    recent = max(start, today - datetime.timedelta(days=5))
    walks = (
        (
            bureau,
            [(first[0], 30), (second[0], 20)],
            "settled",
            {"accepted_on": early, "paid": True},
        ),
        (bureau, [(first[1 % len(first)], 30)], "accepted", {"accepted_on": mid}),  # overdue
        (bureau, [(second[1 % len(second)], 15)], "accepted", {"accepted_on": recent, "short": 2}),
        (bureau, [(first[0], 10)], "shipped", {}),
        (bureau, [(second[0], 10)], "confirmed", {}),
        (bureau, [(first[1 % len(first)], 8)], "declined", {}),
        (bureau, [(second[0], 6)], "awaiting", {}),
        (units["union"], [(first[0], 20)], "settled", {"accepted_on": recent, "paid": True}),
        (units["institute"], [(second[0], 25)], "accepted", {"accepted_on": recent}),
        (units["soe"], [(first[0], 15)], "settled", {"accepted_on": mid, "paid": True}),
        (
            bureau,
            [(second[0], 18)],
            "settled",
            {"accepted_on": datetime.date(year - 1, 12, 20), "paid": True},
        ),
    )
    made = 0
    for unit, items, state, options in walks:
        order = _order(unit, people, items)
        for contract in order.contracts.order_by("pk"):
            if state != "awaiting":
                _walk(contract, supplier, people, state, **options)
            made += 1
    _order(bureau, people, [(first[0], 100)], submit=True, approve=False)
    _order(bureau, people, [(second[0], 50)], submit=False)
    return made


def _off_platform(units, people, staff, year: int) -> None:
    bureau = units["bureau"]
    if bureau.off_platform_purchases.exists():
        return
    today = timezone.localdate()
    base = {
        "organisation": bureau,
        "actor": people[Role.PURCHASER],
        "origin_county": county("610924"),
        "category": "茶叶",
    }
    verified = services.off_platform_purchase_record(
        **base,
        channel="direct",
        supplier_name="紫阳县汉江富硒茶叶专业合作社",
        amount=Decimal("18000.00"),
        purchased_on=max(datetime.date(year, 3, 10), today - datetime.timedelta(days=200)),
        evidence=_evidence("off-platform-tea.pdf"),
    )
    services.off_platform_purchase_verify(
        record=verified, actor=staff, approve=True, note="凭证齐全。"
    )
    services.off_platform_purchase_record(
        **base,
        channel="direct",
        supplier_name="紫阳县汉江富硒茶叶专业合作社",
        amount=Decimal("16800.00"),
        purchased_on=verified.purchased_on,
        evidence=_evidence("off-platform-tea-corrected.pdf"),
        corrects=verified,
        correction_reason="原记录含 1,200 元运费，按合同货款更正。",
    )
    services.off_platform_purchase_record(
        **base | {"origin_county": county("611026"), "category": "食用菌"},
        channel="contractor",
        supplier_name="机关食堂承包方：西安禾丰餐饮管理有限公司",
        amount=Decimal("9600.00"),
        purchased_on=today - datetime.timedelta(days=3),
        evidence=_evidence("off-platform-contractor.pdf"),
    )


def _helped_sales(units, people) -> None:
    soe = units["soe"]
    producer = Producer.objects.filter(products__upc__startswith="DEMO-").order_by("pk").first()
    if soe.helped_sales.exists() or producer is None:
        return
    services.helped_sale_record(
        organisation=soe,
        actor=people[Role.PURCHASER],
        buyer_name="集团下属 12 家子公司职工食堂",
        producer=producer,
        amount=Decimal("86000.00"),
        sold_on=timezone.localdate() - datetime.timedelta(days=20),
        evidence=_evidence("helped-sales.pdf"),
    )


@transaction.atomic
def procurement_seed_demo(*, staff=None) -> dict[str, int]:
    """Seed the procurement demo; returns how many contracts were made now."""
    User = get_user_model()
    staff = staff or User.objects.filter(is_staff=True).order_by("pk").first()
    if staff is None:
        staff = UserFactory(email="procurement-staff@example.com", is_staff=True)
    year = timezone.localdate().year
    units = _units(staff)
    people = _members(units)
    supplier = _user(SUPPLIER_EMAIL)
    _plans(units, people, year)
    contracts = _orders_and_contracts(units, people, supplier, year)
    _off_platform(units, people, staff, year)
    _helped_sales(units, people)
    return {"units": len(units), "contracts_created": contracts}
