"""Oversight benchmark: the monthly figures against hand-written SQL (issue 14, item 9).

    DJANGO_SETTINGS_MODULE=marketplace.settings.dev \
    DATABASE_URL=postgres://postgres@127.0.0.1:54329/oversight_bench \
    .venv/bin/python benchmarks/oversight.py --scale 0.05

1. Builds, with bulk inserts (no signal fires), ``--scale`` × (2,000 buyer
   units, 20,000 producers, 1,000,000 contract lines) over the last two
   calendar years, plus plans, trade unions, shared canteens, off-platform
   purchases, helped sales, consumer orders, payments (some settled contracts
   in two instalments, half of the unpaid ones part paid) and verified
   benefit linkage in proportion.
2. Times, side by side and in one run, the monthly bulletin's figures
   (``oversight.selectors``: buyers, money to places, households, payment
   discipline, for the whole country and last October) against one
   hand-written SQL statement per figure giving the same totals (checked
   equal), and prints the ratio (target: at most 1.5×).
3. Does the same for the staff progress overview's first page of 50 units.
4. Prints the query count and time of the oversight overview page and the
   staff progress page, rendered through Django's test client.

Figures are ratios against a baseline run side by side on the same machine;
absolute numbers only mean something on the machine that printed them.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FULL = {"units": 2000, "producers": 20000, "lines": 1_000_000}
LINES_PER_CONTRACT = 2
PRODUCTS_PER_PRODUCER = 2


def log(*parts) -> None:
    print(*parts, flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each side")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument(
        "--reuse-data", action="store_true", help="benchmark the data already there"
    )
    parser.add_argument("--i-know", action="store_true", help="allow a database without 'bench'")
    return parser.parse_args(argv)


def check_target(args) -> str:
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "postgresql":
        sys.exit(f"refusing: the benchmark needs PostgreSQL, not {connection.vendor}")
    if "bench" not in name and not args.i_know:
        sys.exit(f"refusing: database {name!r} lacks 'bench' in its name; pass --i-know")
    return name


# --- data -------------------------------------------------------------------------


def generate(args) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone
    from oscar.core.loading import get_model

    from benchmarks.search import COUNTIES
    from procurement.models import (
        AnnualPlan,
        BuyerOrganisation,
        Contract,
        ContractLine,
        HelpedSale,
        OffPlatformPurchase,
        Payment,
        PurchaseOrder,
        PurchaseOrderLine,
    )
    from producers.models import BenefitLinkage, Producer
    from regions.models import Region
    from tests.factories import ProductClassFactory, county, valid_uscc
    from tests.factories.procurement import BUYER_USCC_PREFIX

    Product = get_model("catalogue", "Product")
    Partner = get_model("partner", "Partner")
    StockRecord = get_model("partner", "StockRecord")
    Order = get_model("order", "Order")
    Line = get_model("order", "Line")
    User = get_user_model()

    rng = random.Random(args.seed)
    n_units = max(20, int(FULL["units"] * args.scale))
    n_producers = max(40, int(FULL["producers"] * args.scale))
    n_lines = max(400, int(FULL["lines"] * args.scale))
    n_contracts = n_lines // LINES_PER_CONTRACT
    today = timezone.localdate()
    first_day = datetime.date(today.year - 1, 1, 1)
    span = (today - first_day).days
    now = timezone.now()
    counts = {}

    def day_in_range() -> datetime.date:
        return first_day + datetime.timedelta(days=rng.randrange(span))

    with transaction.atomic():
        counties = [county(code) for code, _place, _items in COUNTIES]
        Region.objects.filter(pk__in=[c.pk for c in counties[::3]]).update(
            is_key_assistance_county=True
        )
        user = User.objects.create(username=f"bench-{os.getpid()}", email="bench@example.com")
        product_class = ProductClassFactory(name="基准测试")

        partners = Partner.objects.bulk_create(
            [Partner(name=f"基准合作社{i}", code=f"bench-o-{i}") for i in range(n_producers)],
            batch_size=5000,
        )
        producers = Producer.objects.bulk_create(
            [
                Producer(
                    partner=partner,
                    kind=Producer.Kind.COOPERATIVE,
                    county=counties[i % len(counties)],
                    uscc=valid_uscc(80_000_000 + i, region_code=counties[i % len(counties)].code),
                    introduction="基准测试数据。",
                )
                for i, partner in enumerate(partners)
            ],
            batch_size=5000,
        )
        products = Product.objects.bulk_create(
            [
                Product(
                    structure=Product.STANDALONE,
                    title=f"基准商品{i}",
                    upc=f"BO{i:09d}",
                    slug=f"bench-o-{i}",
                    product_class=product_class,
                    is_public=True,
                    review_status="approved",
                    producer=producers[i // PRODUCTS_PER_PRODUCER],
                    origin_county=producers[i // PRODUCTS_PER_PRODUCER].county,
                )
                for i in range(n_producers * PRODUCTS_PER_PRODUCER)
            ],
            batch_size=5000,
        )
        records = StockRecord.objects.bulk_create(
            [
                StockRecord(
                    product=product,
                    partner=partners[i // PRODUCTS_PER_PRODUCER],
                    partner_sku=product.upc,
                    price_currency="CNY",
                    price=Decimal(rng.randint(10, 300)),
                    num_in_stock=1000,
                    num_allocated=0,
                )
                for i, product in enumerate(products)
            ],
            batch_size=5000,
        )

        kinds = ["agency", "institution", "soe", "agency", "institution"]
        units = []
        for i in range(n_units):
            kind = "union" if i % 20 == 19 else kinds[i % len(kinds)]
            region = counties[i % len(counties)]
            units.append(
                BuyerOrganisation(
                    kind=kind,
                    name=f"基准单位{i}",
                    uscc=valid_uscc(
                        90_000_000 + i, region_code=region.code, prefix=BUYER_USCC_PREFIX[kind]
                    ),
                    region=region,
                    status="active",
                    union_of=None,
                )
            )
        units = BuyerOrganisation.objects.bulk_create(units, batch_size=5000)
        for i, unit in enumerate(units):
            if unit.kind == "union":
                unit.union_of = units[i - 1]
        BuyerOrganisation.objects.bulk_update(
            [u for u in units if u.kind == "union"], ["union_of"], batch_size=5000
        )
        filers = [u for u in units if u.kind != "union"]
        plans = []
        for year in (today.year - 1, today.year):
            for i, unit in enumerate(filers):
                if i % 50 == 49:
                    continue  # missed the filing deadline
                shared = i % 25 == 24
                plans.append(
                    AnnualPlan(
                        organisation=unit,
                        year=year,
                        canteen_status="shared" if shared else "own",
                        represented_by=filers[i - 1] if shared else None,
                        canteen_budget=Decimal(0)
                        if shared
                        else Decimal(rng.randint(2, 40) * 500000),
                        reserve_ratio=Decimal("0.1000"),
                        filing_deadline=datetime.date(year, 3, 31),
                    )
                )
        AnnualPlan.objects.bulk_create(plans, batch_size=5000)

        orders, order_lines, contracts, payments = [], [], [], []
        for c in range(n_contracts):
            unit = units[rng.randrange(n_units)]
            producer_index = rng.randrange(n_producers)
            made = day_in_range()
            roll = rng.random()
            status = (
                "declined"
                if roll < 0.04
                else rng.choice(["awaiting", "confirmed", "shipped"])
                if roll < 0.12
                else "accepted"
            )
            accepted_on = None
            if status == "accepted":
                accepted_on = min(made + datetime.timedelta(days=rng.randint(2, 20)), today)
                paid_on = accepted_on + datetime.timedelta(days=rng.randint(5, 70))
                # Most are paid; some never are (overdue), some not yet.
                if rng.random() >= 0.03 and (
                    paid_on <= today - datetime.timedelta(days=5) or rng.random() < 0.5
                ):
                    status = "settled"
                    paid_on = min(paid_on, today)
            orders.append(
                PurchaseOrder(
                    organisation=unit,
                    number=f"BO{c:09d}",
                    status="approved",
                    purchaser=user,
                    delivery_address="基准测试",
                    requested_delivery_date=made,
                    payment_terms="goods_first",
                )
            )
            amounts = []
            for k in range(LINES_PER_CONTRACT):
                record = records[producer_index * PRODUCTS_PER_PRODUCER + k]
                quantity = rng.randint(1, 50)
                amounts.append((record, quantity))
            goods = sum((r.price * q for r, q in amounts), Decimal(0))
            contracts.append(
                Contract(
                    organisation=unit,
                    counting_unit_id=unit.union_of_id or unit.pk,
                    producer=producers[producer_index],
                    number=f"BOC{c:09d}",
                    status=status,
                    payment_terms="goods_first",
                    goods_amount=goods,
                    payment_days=30,
                    daily_interest_rate=Decimal("0.0005"),
                    accepted_on=accepted_on,
                    accepted_amount=goods if accepted_on else None,
                    due_date=accepted_on + datetime.timedelta(days=30) if accepted_on else None,
                )
            )
            order_lines.append(amounts)
            if status == "settled":
                # One in three is paid in two instalments; the last settles it.
                if rng.random() < 1 / 3 and (paid_on - accepted_on).days > 1:
                    first = accepted_on + datetime.timedelta(
                        days=rng.randrange((paid_on - accepted_on).days)
                    )
                    part = (goods * rng.randint(20, 80) / 100).quantize(Decimal("0.01"))
                    payments.append((c, first, part))
                    payments.append((c, paid_on, goods - part))
                else:
                    payments.append((c, paid_on, goods))
            elif status == "accepted" and rng.random() < 0.5:
                # Half of those still owing have paid part, some after the due date.
                part_on = min(accepted_on + datetime.timedelta(days=rng.randint(5, 60)), today)
                part = (goods * rng.randint(20, 80) / 100).quantize(Decimal("0.01"))
                payments.append((c, part_on, part))
        PurchaseOrder.objects.bulk_create(orders, batch_size=5000)
        for order, contract in zip(orders, contracts, strict=True):
            contract.order = order
        Contract.objects.bulk_create(contracts, batch_size=5000)
        pols = []
        for order, amounts in zip(orders, order_lines, strict=True):
            for record, quantity in amounts:
                pols.append(
                    PurchaseOrderLine(
                        order=order,
                        stockrecord=record,
                        product_id=record.product_id,
                        quantity=quantity,
                        unit_price=record.price,
                    )
                )
        PurchaseOrderLine.objects.bulk_create(pols, batch_size=5000)
        lines, index = [], 0
        for contract, amounts in zip(contracts, order_lines, strict=True):
            accepted = contract.accepted_on is not None
            for record, quantity in amounts:
                lines.append(
                    ContractLine(
                        contract=contract,
                        order_line=pols[index],
                        stockrecord=record,
                        product_id=record.product_id,
                        quantity=quantity,
                        unit_price=record.price,
                        received_quantity=quantity if accepted else None,
                        accepted_quantity=quantity if accepted else None,
                        rejected_quantity=0 if accepted else None,
                    )
                )
                index += 1
        ContractLine.objects.bulk_create(lines, batch_size=5000)
        Payment.objects.bulk_create(
            [
                Payment(
                    contract=contracts[c],
                    reference=f"BOP{c:09d}-{index}",
                    paid_on=paid_on,
                    amount=amount,
                    recorded_by=user,
                )
                for index, (c, paid_on, amount) in enumerate(payments)
            ],
            batch_size=5000,
        )
        with connection.cursor() as cursor:
            # When each contract was made (auto_now_add stamped them all now):
            # the day its order asked for, 10:00 Beijing time.
            cursor.execute(
                "UPDATE procurement_contract c"
                " SET created_at = (o.requested_delivery_date + time '02:00') AT TIME ZONE 'UTC'"
                " FROM procurement_purchaseorder o WHERE o.id = c.order_id"
            )
        OffPlatformPurchase.objects.bulk_create(
            [
                OffPlatformPurchase(
                    organisation=units[rng.randrange(n_units)],
                    channel="direct",
                    supplier_name="基准供应商",
                    origin_county=counties[rng.randrange(len(counties))],
                    amount=Decimal(rng.randint(100, 20000)),
                    purchased_on=day_in_range(),
                    category="基准",
                    evidence="bench/evidence.pdf",
                    status="verified",
                    recorded_by=user,
                    verified_by=user,
                    verified_at=now,
                )
                for _ in range(max(10, n_contracts // 25))
            ],
            batch_size=5000,
        )
        soes = [u for u in units if u.kind == "soe"]
        HelpedSale.objects.bulk_create(
            [
                HelpedSale(
                    organisation=soes[rng.randrange(len(soes))],
                    buyer_name="基准买方",
                    producer=producers[rng.randrange(n_producers)],
                    amount=Decimal(rng.randint(100, 50000)),
                    sold_on=day_in_range(),
                    evidence="bench/evidence.pdf",
                    recorded_by=user,
                )
                for _ in range(max(10, n_contracts // 50))
            ],
            batch_size=5000,
        )
        consumer_orders = Order.objects.bulk_create(
            [
                Order(
                    number=f"BOO{i:09d}",
                    currency="CNY",
                    total_incl_tax=Decimal(0),
                    total_excl_tax=Decimal(0),
                    status=rng.choice(["paid", "shipped", "complete", "cancelled"]),
                    date_placed=datetime.datetime.combine(
                        day_in_range(), datetime.time(4), datetime.UTC
                    ),
                )
                for i in range(max(10, n_lines // 20))
            ],
            batch_size=5000,
        )
        consumer_lines = []
        for order in consumer_orders:
            index = rng.randrange(len(records))
            record, product = records[index], products[index]
            quantity = rng.randint(1, 5)
            amount = record.price * quantity
            consumer_lines.append(
                Line(
                    order=order,
                    partner_id=record.partner_id,
                    partner_name="基准合作社",
                    partner_sku=record.partner_sku,
                    stockrecord=record,
                    product=product,
                    title=product.title,
                    upc=product.upc,
                    quantity=quantity,
                    line_price_incl_tax=amount,
                    line_price_excl_tax=amount,
                    line_price_before_discounts_incl_tax=amount,
                    line_price_before_discounts_excl_tax=amount,
                    unit_price_incl_tax=record.price,
                    unit_price_excl_tax=record.price,
                    status=order.status,
                    num_allocated=0,
                )
            )
        Line.objects.bulk_create(consumer_lines, batch_size=5000)
        BenefitLinkage.objects.bulk_create(
            [
                BenefitLinkage(
                    producer=producer,
                    year=year,
                    employment_households=10,
                    asset_income_households=5,
                    purchase_households=20,
                    total_households=25,
                    status="verified",
                    is_verified=True,
                    verified_by=user,
                    verified_at=now,
                )
                for year in (today.year - 1, today.year)
                for i, producer in enumerate(producers)
                if i % 2 == 0
            ],
            batch_size=5000,
        )
        counts = {
            "units": n_units,
            "producers": n_producers,
            "contracts": n_contracts,
            "contract lines": len(lines),
            "payments": len(payments),
            "consumer order lines": len(consumer_lines),
        }
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


# --- the hand-written SQL -----------------------------------------------------------

SQL_COUNTED = """
WITH own AS (
    SELECT counting_unit_id AS unit, accepted_amount AS amount
      FROM procurement_contract
     WHERE status IN ('accepted', 'settled') AND accepted_on BETWEEN %(jan1)s AND %(until)s
    UNION ALL
    SELECT COALESCE(b.union_of_id, b.id), p.amount
      FROM procurement_offplatformpurchase p
      JOIN procurement_buyerorganisation b ON b.id = p.organisation_id
     WHERE p.status = 'verified' AND p.purchased_on BETWEEN %(jan1)s AND %(until)s
       AND NOT EXISTS (SELECT 1 FROM procurement_offplatformpurchase r
                        WHERE r.corrects_id = p.id AND r.status = 'verified')
), grouped AS (SELECT unit, SUM(amount) AS amount FROM own GROUP BY unit),
credited AS (
    SELECT unit, amount FROM grouped
    UNION ALL
    SELECT pl.represented_by_id, g.amount FROM grouped g
      JOIN procurement_annualplan pl ON pl.organisation_id = g.unit AND pl.year = %(year)s
     WHERE pl.represented_by_id IS NOT NULL
)
SELECT COUNT(*), SUM(COALESCE(pl.canteen_budget * pl.reserve_ratio, 0)),
       SUM(COALESCE(c.amount, 0)),
       COUNT(*) FILTER (WHERE COALESCE(c.amount, 0) < COALESCE(pl.canteen_budget * pl.reserve_ratio, 0) * %(share)s)
  FROM procurement_buyerorganisation u
  LEFT JOIN procurement_annualplan pl ON pl.organisation_id = u.id AND pl.year = %(year)s
  LEFT JOIN (SELECT unit, SUM(amount) AS amount FROM credited GROUP BY unit) c ON c.unit = u.id
 WHERE u.status = 'active' AND u.kind <> 'union'
"""

SQL_MONEY = """
SELECT SUM(amount), SUM(amount) FILTER (WHERE r.is_key_assistance_county) FROM (
    SELECT COALESCE(p.origin_county_id, pp.origin_county_id) AS county, l.line_price_incl_tax AS amount
      FROM order_line l JOIN order_order o ON o.id = l.order_id
      JOIN catalogue_product p ON p.id = l.product_id
      LEFT JOIN catalogue_product pp ON pp.id = p.parent_id
     WHERE o.status IN ('paid', 'shipped', 'complete') AND o.date_placed >= %(start)s AND o.date_placed < %(end)s
    UNION ALL
    SELECT COALESCE(p.origin_county_id, pp.origin_county_id), cl.accepted_quantity * cl.unit_price
      FROM procurement_contractline cl JOIN procurement_contract c ON c.id = cl.contract_id
      JOIN catalogue_product p ON p.id = cl.product_id
      LEFT JOIN catalogue_product pp ON pp.id = p.parent_id
     WHERE c.status IN ('accepted', 'settled') AND c.accepted_on BETWEEN %(first)s AND %(last)s
       AND cl.accepted_quantity IS NOT NULL
    UNION ALL
    SELECT p.origin_county_id, p.amount FROM procurement_offplatformpurchase p
     WHERE p.status = 'verified' AND p.purchased_on BETWEEN %(first)s AND %(last)s
       AND NOT EXISTS (SELECT 1 FROM procurement_offplatformpurchase r
                        WHERE r.corrects_id = p.id AND r.status = 'verified')
    UNION ALL
    SELECT pr.county_id, h.amount FROM procurement_helpedsale h
      JOIN producers_producer pr ON pr.id = h.producer_id
     WHERE h.sold_on BETWEEN %(first)s AND %(last)s
) money JOIN producers_region r ON r.id = money.county
"""

SQL_HOUSEHOLDS = """
SELECT SUM(total_households) FROM producers_benefitlinkage WHERE is_verified AND year = %(year)s
"""

# Overdue contracts with what they owe and their late interest (the rule of
# procurement.selectors.contract_late_interest, written with window functions),
# and the contracts settled in the period (last payment in it) with the average
# days from acceptance to that payment.
SQL_PAYMENTS = """
WITH overdue AS (
    SELECT id, accepted_amount + freight AS payable, due_date, daily_interest_rate AS rate
      FROM procurement_contract WHERE status = 'accepted' AND due_date < %(on)s
), paid AS (
    SELECT p.contract_id, p.paid_on, p.amount,
           COALESCE(SUM(p.amount) OVER (PARTITION BY p.contract_id ORDER BY p.paid_on, p.id
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS paid_before
      FROM procurement_payment p JOIN overdue o ON o.id = p.contract_id
     WHERE p.paid_on <= %(on)s
), owing AS (
    SELECT o.payable - COALESCE(SUM(p.amount), 0) AS owed,
           ROUND(o.rate * (o.payable * (%(on)s - o.due_date) - COALESCE(SUM(
               LEAST(p.amount, GREATEST(o.payable - p.paid_before, 0))
               * (%(on)s - GREATEST(p.paid_on, o.due_date))), 0)), 2) AS interest
      FROM overdue o LEFT JOIN paid p ON p.contract_id = o.id
     GROUP BY o.id, o.payable, o.rate, o.due_date
), settled AS (
    SELECT c.accepted_on, MAX(p.paid_on) AS settled_on
      FROM procurement_contract c JOIN procurement_payment p ON p.contract_id = c.id
     WHERE c.status = 'settled' GROUP BY c.id, c.accepted_on
)
SELECT (SELECT COUNT(*) FROM owing), (SELECT SUM(owed) FROM owing),
       (SELECT SUM(interest) FROM owing),
       COUNT(*), AVG(settled_on - accepted_on)
  FROM settled WHERE settled_on BETWEEN %(first)s AND %(last)s
"""

SQL_PROGRESS_PAGE = """
WITH page AS (
    SELECT u.id FROM procurement_buyerorganisation u
      JOIN producers_region r ON r.id = u.region_id
     WHERE u.status = 'active' AND u.kind <> 'union' ORDER BY r.code, u.name LIMIT 50
), members AS (
    SELECT organisation_id AS member, represented_by_id AS unit FROM procurement_annualplan
     WHERE year = %(year)s AND represented_by_id IN (SELECT id FROM page)
), own AS (
    SELECT counting_unit_id AS unit, accepted_amount AS amount FROM procurement_contract
     WHERE status IN ('accepted', 'settled') AND accepted_on BETWEEN %(jan1)s AND %(dec31)s
       AND counting_unit_id IN (SELECT id FROM page UNION SELECT member FROM members)
)
SELECT page.id, SUM(own.amount) FROM page
  LEFT JOIN members ON members.unit = page.id
  LEFT JOIN own ON own.unit = page.id OR own.unit = members.member
 GROUP BY page.id
"""


def run_sql(sql: str, params: dict):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def timed(ours, theirs, repeat: int):
    """(median seconds, last result) of ``ours`` and of ``theirs`` over
    ``repeat`` runs each after one warm-up, alternating the two so that a
    change in the machine's load falls on both sides."""
    results = [ours(), theirs()]
    times = ([], [])
    for _ in range(repeat):
        for side, function in enumerate((ours, theirs)):
            started = time.perf_counter()
            results[side] = function()
            times[side].append(time.perf_counter() - started)
    return (
        (statistics.median(times[0]), results[0]),
        (statistics.median(times[1]), results[1]),
    )


def bench(args) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from oversight.periods import Period, PeriodKind
    from oversight.rules import EVERYTHING
    from oversight.selectors import (
        buyer_figures,
        expected_share,
        household_figures,
        money_to_places,
        payment_figures,
    )
    from procurement.selectors import units_filing_plans, units_progress_attach

    today = timezone.localdate()
    period = Period(PeriodKind.MONTH, today.year - 1, 10)
    share = expected_share(period=period)

    def figures():
        return (
            buyer_figures(scope=EVERYTHING, period=period, today=today),
            money_to_places(scope=EVERYTHING, period=period),
            household_figures(scope=EVERYTHING, period=period),
            payment_figures(scope=EVERYTHING, period=period, today=today),
        )

    start, end = period.bounds()
    params = {
        "year": period.year,
        "jan1": datetime.date(period.year, 1, 1),
        "dec31": datetime.date(period.year, 12, 31),
        "until": period.last_day,
        "first": period.first_day,
        "last": period.last_day,
        "start": start,
        "end": end,
        "share": share,
        "on": min(period.last_day, today),
    }

    def raw():
        return (
            run_sql(SQL_COUNTED, params),
            run_sql(SQL_MONEY, params),
            run_sql(SQL_HOUSEHOLDS, params),
            run_sql(SQL_PAYMENTS, params),
        )

    log(
        f"\n== Monthly figures, whole country, {period.slug}"
        f" ({args.repeat} runs each, alternating, median) =="
    )
    with CaptureQueriesContext(connection) as captured:
        figures()
    (
        (figure_time, (buyers, places, households, payments)),
        (raw_time, (counted, money, homes, paying)),
    ) = timed(figures, raw, args.repeat)
    units, target, counted_total, behind = counted[0]
    pairs = [
        ("units", len(buyers.units), units),
        ("target", buyers.target, Decimal(target).quantize(Decimal("0.01"))),
        ("counted", buyers.counted, counted_total),
        ("units behind", len(buyers.behind), behind),
        ("money total", places.totals.total, money[0][0] or Decimal("0.00")),
        ("to key counties", places.key_county_total, money[0][1] or Decimal("0.00")),
        ("households", households.total, homes[0][0] or 0),
        ("overdue contracts", payments.overdue_count, paying[0][0]),
        ("overdue amount", payments.overdue_amount, paying[0][1] or Decimal("0.00")),
        ("late interest", payments.interest_owed, paying[0][2] or Decimal("0.00")),
        ("settled contracts", sum(r.contracts for r in payments.settled_delays), paying[0][3]),
    ]
    for name, ours, theirs in pairs:
        mark = "ok" if ours == theirs else "DIFFERS"
        log(f"  {name:18} figures {ours!s:>18}   SQL {theirs!s:>18}   {mark}")
    log(f"  figures: {figure_time * 1000:8.1f} ms in {len(captured)} queries")
    log(f"  raw SQL: {raw_time * 1000:8.1f} ms in 4 statements")
    log(f"  ratio:   {figure_time / raw_time:8.2f}x  (target <= 1.5x)")

    log("\n== Staff progress overview, first page of 50 units ==")
    (page_time, _), (raw_page_time, _) = timed(
        lambda: units_progress_attach(units_filing_plans()[:50], year=period.year),
        lambda: run_sql(SQL_PROGRESS_PAGE, params),
        args.repeat,
    )
    log(f"  grouped selector: {page_time * 1000:8.1f} ms")
    log(f"  raw SQL:          {raw_page_time * 1000:8.1f} ms (counted contracts only)")
    log(f"  ratio:            {page_time / raw_page_time:8.2f}x")

    log("\n== Pages (query count and time through the test client) ==")
    from django.contrib.auth import get_user_model

    staff, _ = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"email": "bench-staff@example.com", "is_staff": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff)
    for name, url in (
        ("oversight overview", f"{reverse('oversight:overview')}?period={period.slug}"),
        ("staff progress, page 1", f"{reverse('procurement:review-progress')}?year={period.year}"),
        (
            "staff progress, page 4",
            f"{reverse('procurement:review-progress')}?year={period.year}&page=4",
        ),
    ):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        log(
            f"  {name:24} HTTP {response.status_code}  {len(captured):4} queries"
            f"  {elapsed * 1000:8.1f} ms"
        )


def main(argv=None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.dev")
    import django

    django.setup()
    from django.test.utils import override_settings

    override = override_settings(DEBUG=False, ALLOWED_HOSTS=["127.0.0.1"])
    override.enable()
    name = check_target(args)
    from procurement.models import Contract

    have = Contract.objects.count()
    log(f"database {name}; {os.cpu_count()} CPUs; scale {args.scale}; seed {args.seed}")
    if have and not args.reuse_data:
        sys.exit(f"refusing: the database already has {have:,} contracts; pass --reuse-data")
    if not have:
        started = time.perf_counter()
        counts = generate(args)
        log(
            "generated "
            + ", ".join(f"{v:,} {k}" for k, v in counts.items())
            + f" in {time.perf_counter() - started:.1f}s"
        )
    bench(args)
    override.disable()


if __name__ == "__main__":
    main()
