"""A producer's settlement statement (结算对账单): golden figures worked out by
hand, the Asia/Shanghai month boundary, the XLSX and who may see it."""

import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from oscar.core.loading import get_model

from procurement import services
from procurement.models import ContractStatus
from procurement.statements import Period, PeriodKind, producer_statement
from tests.factories import product_with_stock
from tests.factories.orders import place_order
from tests.factories.procurement import contract_in_state, producer_user

Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MARCH = Period(kind=PeriodKind.MONTH, year=2026, number=3)


def at(*parts) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=SHANGHAI)


def consumer_order(product, number, *, placed, status="paid", paid=None):
    """Two of ``product`` (2 × ¥50.00 = ¥100.00), placed and paid when said."""
    order = place_order(product, number=number)
    Order.objects.filter(pk=order.pk).update(date_placed=placed, status=status)
    if paid:
        event_type, _ = PaymentEventType.objects.get_or_create(code="paid", name="已到账")
        event = PaymentEvent.objects.create(
            order=order, event_type=event_type, amount=Decimal("100.00")
        )
        PaymentEvent.objects.filter(pk=event.pk).update(date_created=paid)
    return order


def accepted_contract(team, product, seller, quantity, accepted_on):
    return contract_in_state(
        team, product, quantity, ContractStatus.ACCEPTED, seller=seller, accepted_on=accepted_on
    )


@pytest.fixture
def goods(db):
    return product_with_stock(price=Decimal("50.00"), stock=1000)


@pytest.fixture
def ledger(team, goods):
    """February: order A sold and paid (¥100), order B sold (¥100, paid 2 March),
    contract C1 accepted (10 × ¥50 = ¥500, ¥300 paid 10 March).
    March: contract C2 accepted 15 March (4 × ¥50 = ¥200), order D placed at
    23:59 on 31 March Beijing time (paid 1 April), an unpaid order and a
    cancelled one (no sale). April: order E placed a minute after midnight."""
    seller = producer_user(goods.producer)
    consumer_order(goods, "A1", placed=at(2026, 2, 20, 10, 0), paid=at(2026, 2, 20, 11, 0))
    consumer_order(goods, "B1", placed=at(2026, 2, 27, 9, 0), paid=at(2026, 3, 2, 9, 0))
    c1 = accepted_contract(team, goods, seller, 10, datetime.date(2026, 2, 25))
    services.payment_record(
        contract=c1,
        actor=team.finance,
        reference="ZZ-C1",
        paid_on=datetime.date(2026, 3, 10),
        amount=Decimal("300.00"),
    )
    c2 = accepted_contract(team, goods, seller, 4, datetime.date(2026, 3, 15))
    consumer_order(goods, "D1", placed=at(2026, 3, 31, 23, 59), paid=at(2026, 4, 1, 0, 30))
    consumer_order(goods, "F1", placed=at(2026, 3, 5, 9, 0), status="pending_payment")
    consumer_order(goods, "G1", placed=at(2026, 3, 6, 9, 0), status="cancelled")
    consumer_order(goods, "E1", placed=at(2026, 4, 1, 0, 1), paid=at(2026, 4, 1, 0, 10))
    # Another producer's sale never shows.
    consumer_order(product_with_stock(price=Decimal("7.00")), "X1", placed=at(2026, 3, 8, 9, 0))
    return {"producer": goods.producer, "seller": seller, "c1": c1, "c2": c2}


def test_march_statement_golden_figures(ledger):
    statement = producer_statement(producer=ledger["producer"], period=MARCH)

    # Opening: sold A + B + C1 = 700, paid A = 100.
    assert statement.opening == Decimal("600.00")
    assert statement.sold_consumer == Decimal("100.00")  # D, at 23:59 on 31 March
    assert statement.sold_agency == Decimal("200.00")  # C2
    assert statement.paid_consumer == Decimal("100.00")  # B
    assert statement.paid_agency == Decimal("300.00")  # C1, part
    # Still owed: D 100 + C1 200 + C2 200.
    assert statement.closing == Decimal("500.00")
    assert [(e.day.isoformat(), e.kind, e.reference[:2], e.balance) for e in statement.entries] == [
        ("2026-03-02", "consumer_payment", "B1", Decimal("500.00")),
        ("2026-03-10", "contract_payment", ledger["c1"].number[:2], Decimal("200.00")),
        ("2026-03-15", "contract_sale", ledger["c2"].number[:2], Decimal("400.00")),
        ("2026-03-31", "consumer_sale", "D1", Decimal("500.00")),
    ]


def test_quarter_and_year_statements(ledger):
    quarter = producer_statement(
        producer=ledger["producer"], period=Period(kind=PeriodKind.QUARTER, year=2026, number=1)
    )
    assert quarter.opening == Decimal("0.00")
    assert (quarter.sold_consumer, quarter.sold_agency) == (Decimal("300.00"), Decimal("700.00"))
    assert (quarter.paid_consumer, quarter.paid_agency) == (Decimal("200.00"), Decimal("300.00"))
    assert quarter.closing == Decimal("500.00")

    year = producer_statement(
        producer=ledger["producer"], period=Period(kind=PeriodKind.YEAR, year=2026, number=1)
    )
    assert (year.sold, year.paid, year.closing) == (
        Decimal("1100.00"),
        Decimal("700.00"),
        Decimal("400.00"),
    )


def test_april_opens_with_marchs_closing_and_takes_the_order_after_midnight(ledger):
    april = producer_statement(
        producer=ledger["producer"], period=Period(kind=PeriodKind.MONTH, year=2026, number=4)
    )
    assert april.opening == Decimal("500.00")
    assert [(e.reference, e.kind) for e in april.entries] == [
        ("E1", "consumer_sale"),
        ("D1", "consumer_payment"),
        ("E1", "consumer_payment"),
    ]
    assert april.closing == Decimal("400.00")


def test_statement_page_shows_the_figures(client, ledger, django_assert_max_num_queries):
    client.force_login(ledger["seller"])
    url = reverse("procurement:supplier-statement", args=[ledger["producer"].pk])
    with django_assert_max_num_queries(40):
        response = client.get(url, {"kind": "month", "year": 2026, "month": 3})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026年3月" in page and "D1" in page and "¥500.00" in page


def test_bad_period_is_explained_and_this_month_shown(client, ledger):
    client.force_login(ledger["seller"])
    url = reverse("procurement:supplier-statement", args=[ledger["producer"].pk])
    response = client.get(url, {"kind": "month", "year": "abc", "month": 13})
    assert response.status_code == 200
    assert "所选期间有误" in response.content.decode()
    response = client.get(url, {"kind": "quarter", "year": 2026})
    assert "请选择季度" in response.content.decode()


def test_statement_xlsx_content(client, ledger):
    client.force_login(ledger["seller"])
    url = reverse("procurement:supplier-statement-xlsx", args=[ledger["producer"].pk])
    response = client.get(url, {"kind": "month", "year": 2026, "month": 3})
    assert response.status_code == 200
    assert "statement-" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == (
        "日期",
        "类型",
        "单号",
        "买方",
        "销售额（元）",
        "已付（元）",
        "应收余额（元）",
    )
    assert rows[2][1] == "期初余额" and rows[2][6] == 600
    assert [row[2] for row in rows[3:-1]][0] == "B1"
    assert rows[-1][1:] == ("合计", None, None, 300, 400, 500)
    assert sheet.cell(row=len(rows), column=7).number_format == "#,##0.00"
    assert sheet.cell(row=4, column=6).number_format == "#,##0.00"


def test_another_producers_statement_is_a_404(client, ledger):
    other = producer_user(product_with_stock().producer)
    client.force_login(other)
    for name in ("procurement:supplier-statement", "procurement:supplier-statement-xlsx"):
        assert client.get(reverse(name, args=[ledger["producer"].pk])).status_code == 404


def test_anonymous_is_sent_to_log_in(client, ledger):
    url = reverse("procurement:supplier-statement", args=[ledger["producer"].pk])
    assert client.get(url).status_code == 302
