"""A producer's settlement statement (结算对账单) for a month, a quarter or a
year: what it sold to consumers and to buyer units, what was paid for it, and
what is still owed, with the balance at the start and at the end of the period.

It lives here, not in ``producers``, because it reads procurement contracts
and the producers app sits below procurement. Days are Asia/Shanghai calendar
days (``TIME_ZONE``): an order placed at 23:59 on 31 March belongs to March.

The statement is a list of entries, one per event, in date order: a sale
(``sold``) raises what is owed, a payment (``paid``) lowers it, a refund the
producer paid back raises it again. Owed = sold − paid; a negative balance is
money received in advance (a pay-first contract paid before acceptance).
"""

import datetime
import io
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from oscar.core.loading import get_model

from catalogue.importers import XLSX_CONTENT_TYPE, ExportedFile, xlsx_text_cell
from procurement.models import COUNTED_CONTRACT_STATUSES, Contract, ContractRefund, Payment
from producers.models import Producer

Order = get_model("order", "Order")
Line = get_model("order", "Line")
PaymentEvent = get_model("order", "PaymentEvent")

ZERO = Decimal("0.00")
MONEY_FORMAT = "#,##0.00"


class PeriodKind:
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CHOICES = (
        (MONTH, gettext_lazy("月度")),
        (QUARTER, gettext_lazy("季度")),
        (YEAR, gettext_lazy("年度")),
    )


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int  # the month (1–12) or quarter (1–4); 1 for a year

    @property
    def first_day(self) -> datetime.date:
        if self.kind == PeriodKind.MONTH:
            return datetime.date(self.year, self.number, 1)
        if self.kind == PeriodKind.QUARTER:
            return datetime.date(self.year, 3 * self.number - 2, 1)
        return datetime.date(self.year, 1, 1)

    @property
    def last_day(self) -> datetime.date:
        months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[self.kind]
        first = self.first_day
        month_index = first.year * 12 + first.month - 1 + months
        return datetime.date(month_index // 12, month_index % 12 + 1, 1) - datetime.timedelta(1)

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return _("%(year)d年%(month)d月") % {"year": self.year, "month": self.number}
        if self.kind == PeriodKind.QUARTER:
            return _("%(year)d年第%(quarter)d季度") % {"year": self.year, "quarter": self.number}
        return _("%(year)d年") % {"year": self.year}

    @property
    def slug(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        return str(self.year)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, zoneinfo.ZoneInfo(settings.TIME_ZONE))


class EntryKind:
    CONSUMER_SALE = "consumer_sale"
    CONSUMER_PAYMENT = "consumer_payment"
    CONTRACT_SALE = "contract_sale"
    CONTRACT_PAYMENT = "contract_payment"
    CONTRACT_REFUND = "contract_refund"
    LABELS = {
        CONSUMER_SALE: gettext_lazy("消费者订单"),
        CONSUMER_PAYMENT: gettext_lazy("消费者付款"),
        CONTRACT_SALE: gettext_lazy("采购合同验收"),
        CONTRACT_PAYMENT: gettext_lazy("采购合同付款"),
        CONTRACT_REFUND: gettext_lazy("采购合同退款"),
    }


@dataclass(frozen=True)
class Entry:
    day: datetime.date
    kind: str
    reference: str
    counterparty: str
    sold: Decimal = ZERO
    paid: Decimal = ZERO
    balance: Decimal = ZERO

    @property
    def kind_label(self) -> str:
        return str(EntryKind.LABELS[self.kind])


@dataclass
class Statement:
    producer: Producer
    period: Period
    opening: Decimal
    entries: list[Entry] = field(default_factory=list)

    def _total(self, attribute: str, kinds: tuple[str, ...]) -> Decimal:
        return sum((getattr(e, attribute) for e in self.entries if e.kind in kinds), ZERO)

    @property
    def sold_consumer(self) -> Decimal:
        return self._total("sold", (EntryKind.CONSUMER_SALE,))

    @property
    def sold_agency(self) -> Decimal:
        return self._total("sold", (EntryKind.CONTRACT_SALE,))

    @property
    def sold(self) -> Decimal:
        return self.sold_consumer + self.sold_agency

    @property
    def paid_consumer(self) -> Decimal:
        return self._total("paid", (EntryKind.CONSUMER_PAYMENT,))

    @property
    def paid_agency(self) -> Decimal:
        return self._total("paid", (EntryKind.CONTRACT_PAYMENT, EntryKind.CONTRACT_REFUND))

    @property
    def paid(self) -> Decimal:
        return self.paid_consumer + self.paid_agency

    @property
    def closing(self) -> Decimal:
        return self.opening + self.sold - self.paid


# --- What counts as sold (the one home of the rule) ------------------------------


def statement_sold_rule(*, producer: Producer):
    """What a producer's statement counts as sold, as two querysets:

    - consumer orders: the producer's lines of orders whose buyer has paid
      (已付款, 已发货, 已完成), on the day the order was placed. An order that
      waits for its bank transfer may lapse, and a cancelled one is no sale.
    - buyer units: contracts once accepted (验收; accepted or settled), on the
      acceptance day, for the accepted goods plus freight (what the unit owes),
      the same moment a purchase starts counting toward the unit's year.
    """
    lines = Line.objects.filter(
        partner_id=producer.partner_id, order__status__in=consumer_sold_statuses()
    )
    contracts = Contract.objects.filter(producer=producer, status__in=COUNTED_CONTRACT_STATUSES)
    return lines, contracts


def consumer_sold_statuses() -> tuple[str, ...]:
    """The order statuses in which a consumer order is a producer's sale:
    paid, shipped or complete (the statement and the sales export)."""
    return (
        settings.ORDER_STATUS_PAID,
        settings.ORDER_STATUS_SHIPPED,
        settings.ORDER_STATUS_COMPLETE,
    )


def _consumer_orders(lines, *, partner_id: int, start_at, end_at):
    """One row per order placed or paid in the period: the producer's share,
    and when it was paid (the first payment recorded on the order pays the
    whole of it)."""
    money = DecimalField(max_digits=12, decimal_places=2)
    first_payment = (
        PaymentEvent.objects.filter(order=OuterRef("pk")).order_by("date_created", "pk")
    ).values("date_created")[:1]
    return (
        Order.objects.filter(pk__in=lines.values("order_id"))
        .annotate(
            producer_amount=Coalesce(
                Sum("lines__line_price_incl_tax", filter=Q(lines__partner_id=partner_id)),
                Value(ZERO),
                output_field=money,
            ),
            paid_at=Subquery(first_payment),
        )
        .filter(
            Q(date_placed__gte=start_at, date_placed__lt=end_at)
            | Q(paid_at__gte=start_at, paid_at__lt=end_at)
        )
        .select_related("user")
        .order_by("date_placed", "pk")
    )


def _buyer_name(order) -> str:
    if order.user_id:
        return order.user.get_full_name() or order.user.email
    return order.guest_email or _("游客")


def _sum(queryset, field_name: str) -> Decimal:
    return queryset.aggregate(total=Coalesce(Sum(field_name), Value(ZERO)))["total"]


def producer_statement(*, producer: Producer, period: Period) -> Statement:
    """The statement of ``producer`` for ``period``: opening balance (everything
    before the period), the period's entries with a running balance, closing."""
    start, end = period.first_day, period.last_day
    start_at, end_at = _local_midnight(start), _local_midnight(end + datetime.timedelta(1))
    lines, contracts = statement_sold_rule(producer=producer)
    orders = _consumer_orders(
        lines, partner_id=producer.partner_id, start_at=start_at, end_at=end_at
    )
    paid_before = PaymentEvent.objects.filter(date_created__lt=start_at).values("order_id")
    accepted_before = contracts.filter(accepted_on__lt=start)
    payments = Payment.objects.filter(contract__producer=producer)
    refunds = ContractRefund.objects.filter(contract__producer=producer, refunded_on__isnull=False)
    opening = (
        _sum(lines.filter(order__date_placed__lt=start_at), "line_price_incl_tax")
        - _sum(lines.filter(order_id__in=paid_before), "line_price_incl_tax")
        + _sum(accepted_before, "accepted_amount")
        + _sum(accepted_before, "freight")
        - _sum(payments.filter(paid_on__lt=start), "amount")
        + _sum(refunds.filter(refunded_on__lt=start), "amount")
    )

    entries: list[Entry] = []
    for order in orders:
        buyer = _buyer_name(order)
        if start_at <= order.date_placed < end_at:
            day = timezone.localtime(order.date_placed).date()
            entries.append(
                Entry(day, EntryKind.CONSUMER_SALE, order.number, buyer, sold=order.producer_amount)
            )
        if order.paid_at and start_at <= order.paid_at < end_at:
            day = timezone.localtime(order.paid_at).date()
            entries.append(
                Entry(
                    day, EntryKind.CONSUMER_PAYMENT, order.number, buyer, paid=order.producer_amount
                )
            )
    for contract in contracts.filter(accepted_on__range=(start, end)).select_related(
        "organisation"
    ):
        entries.append(
            Entry(
                contract.accepted_on,
                EntryKind.CONTRACT_SALE,
                contract.number,
                contract.organisation.name,
                sold=contract.payable_amount,
            )
        )
    for payment in payments.filter(paid_on__range=(start, end)).select_related(
        "contract__organisation"
    ):
        entries.append(
            Entry(
                payment.paid_on,
                EntryKind.CONTRACT_PAYMENT,
                payment.contract.number,
                payment.contract.organisation.name,
                paid=payment.amount,
            )
        )
    for refund in refunds.filter(refunded_on__range=(start, end)).select_related(
        "contract__organisation"
    ):
        entries.append(
            Entry(
                refund.refunded_on,
                EntryKind.CONTRACT_REFUND,
                refund.contract.number,
                refund.contract.organisation.name,
                paid=-refund.amount,
            )
        )

    # Sales before payments on the same day, so the running balance never dips
    # below zero for a sale paid the day it was made.
    order_of_kind = list(EntryKind.LABELS)
    entries.sort(key=lambda e: (e.day, e.paid > 0, order_of_kind.index(e.kind), e.reference))
    balance = opening
    running = []
    for entry in entries:
        balance = balance + entry.sold - entry.paid
        running.append(
            Entry(
                entry.day,
                entry.kind,
                entry.reference,
                entry.counterparty,
                sold=entry.sold,
                paid=entry.paid,
                balance=balance,
            )
        )
    return Statement(producer=producer, period=period, opening=opening, entries=running)


# --- XLSX ----------------------------------------------------------------------


def statement_xlsx(statement: Statement) -> ExportedFile:
    """The statement as a spreadsheet: Chinese headers, money as numbers with two
    decimals, the opening balance first and a totals row last."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("结算对账单")
    headers = [
        _("日期"),
        _("类型"),
        _("单号"),
        _("买方"),
        _("销售额（元）"),
        _("已付（元）"),
        _("应收余额（元）"),
    ]
    sheet.append([_("%(producer)s 结算对账单（%(period)s）") % {
        "producer": statement.producer.name, "period": statement.period.label,
    }])  # fmt: skip
    sheet["A1"].font = Font(bold=True)
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    rows = [[statement.period.first_day, _("期初余额"), "", "", None, None, statement.opening]]
    rows += [
        [e.day, e.kind_label, e.reference, e.counterparty, e.sold, e.paid, e.balance]
        for e in statement.entries
    ]
    rows.append([statement.period.last_day, _("合计"), "", "", statement.sold, statement.paid,
                 statement.closing])  # fmt: skip
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                xlsx_text_cell(cell)
            elif isinstance(cell.value, Decimal):
                cell.number_format = MONEY_FORMAT
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A3"
    for index, width in enumerate((12, 14, 24, 28, 16, 16, 16), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    filename = f"statement-{statement.producer.pk}-{statement.period.slug}.xlsx"
    return ExportedFile(buffer.getvalue(), XLSX_CONTENT_TYPE, filename)
