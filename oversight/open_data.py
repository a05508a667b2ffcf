"""Open data (issue 14, item 8): accepted contracts as Open Contracting Data
Standard 1.1 release packages, one release per contract.

A contract here is a contracting process of its own: the unit bought from a
producer's listings at the posted price (``tender.procurementMethod``
"direct"), its approval of the purchase order is the award, the producer's
confirmation signs the contract (``dateSigned``), and acceptance (验收) and
payment are implementation milestones, payments its transactions.

Which contracts: those counted for the period (accepted or settled, accepted
on a day of the period: the agency channel of ``oversight.selectors``) where
the buying unit or the supplier lies in the region scope: a Shaanxi office
sees what its units bought and what its producers sold.

Field choices, and why (README, "Open data"):

- ``ocid`` is ``settings.OCDS_OCID_PREFIX`` + "-" + the contract number.
- Parties are identified by their unified social credit code under the
  org-id.guide scheme ``CN-USCI`` (the primary register of Chinese
  organisations, companies and public bodies alike).
- An item's origin county is an ``additionalClassifications`` entry under the
  scheme ``GB/T 2260`` (the 6-digit division code): the core schema has no
  place of origin, ``deliveryAddress`` (the Location extension) is where goods
  are delivered, i.e. the unit's canteen, and no registered extension carries
  an origin. The origin is how the programme classifies the goods.
- Award items carry the contracted quantities and the award value the goods
  and freight agreed; contract items carry the accepted quantities and the
  contract value what is payable (accepted goods plus freight).
- Acceptance is the implementation milestone of type ``delivery`` (met on the
  acceptance day, due on the requested delivery date); the payment deadline is
  the milestone of type ``payment`` and the end of ``contracts.period``.

Everything is read by a fixed number of grouped queries per page of
``PAGE_SIZE`` contracts (keyset pagination on the contract id), whatever the
page holds; the JSON is streamed release by release.
"""

import datetime
import json
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Max, Min
from django.db.models.functions import Coalesce
from django.utils import timezone

from oversight.periods import Period
from oversight.rules import RegionScope
from procurement.models import (
    COUNTED_CONTRACT_STATUSES,
    Contract,
    ContractLine,
    ContractStatus,
    ContractTransition,
    Payment,
)
from regions.models import Region

OCDS_VERSION = "1.1"
PAGE_SIZE = 500
ORGANISATION_SCHEME = "CN-USCI"
DIVISION_SCHEME = "GB/T 2260"
CURRENCY = "CNY"
# Every contract line counts listing units (one bag, one box): UN/CEFACT's "piece".
UNIT = {"scheme": "UNCEFACT", "id": "H87", "name": "件"}
RELEASE_TAGS = ["award", "contract", "implementation"]


@dataclass
class ContractPage:
    """One page of a region's accepted contracts and what their releases need."""

    contracts: list
    lines: dict  # contract id → [ContractLine]
    origins: dict  # region id → Region (parents loaded)
    signed: dict  # contract id → datetime of the producer's confirmation
    payments: dict  # contract id → [Payment]
    next_after: int | None  # the last contract id of the page when more follow


def open_contracts(*, scope: RegionScope, period: Period):
    """The contracts counted for ``period`` whose buyer or supplier lies in ``scope``."""
    return Contract.objects.filter(
        scope.q("organisation__region") | scope.q("producer__county"),
        status__in=COUNTED_CONTRACT_STATUSES,
        accepted_on__gte=period.first_day,
        accepted_on__lte=period.last_day,
    )


def open_contracts_page(
    *, scope: RegionScope, period: Period, after: int = 0, size: int | None = None
) -> ContractPage:
    """The page of contracts after contract id ``after``: five queries."""
    size = size or PAGE_SIZE
    contracts = list(
        open_contracts(scope=scope, period=period)
        .filter(pk__gt=after)
        .select_related(
            "order",
            "organisation__region__parent__parent",
            "producer__partner",
            "producer__county__parent__parent",
        )
        .order_by("pk")[: size + 1]
    )
    next_after = None
    if len(contracts) > size:
        contracts = contracts[:size]
        next_after = contracts[-1].pk
    ids = [contract.pk for contract in contracts]
    lines = defaultdict(list)
    for line in (
        ContractLine.objects.filter(contract_id__in=ids)
        .select_related("product__parent")
        .annotate(origin_id=Coalesce("product__origin_county", "product__parent__origin_county"))
        .order_by("contract_id", "pk")
    ):
        lines[line.contract_id].append(line)
    origin_ids = {line.origin_id for rows in lines.values() for line in rows if line.origin_id}
    origins = {
        region.pk: region
        for region in Region.objects.filter(pk__in=origin_ids).select_related("parent__parent")
    }
    signed = dict(
        ContractTransition.objects.filter(contract_id__in=ids, to_status=ContractStatus.CONFIRMED)
        .values("contract_id")
        .annotate(first=Min("created_at"))
        .values_list("contract_id", "first")
        .order_by()
    )
    payments = defaultdict(list)
    for payment in Payment.objects.filter(contract_id__in=ids).order_by("paid_on", "pk"):
        payments[payment.contract_id].append(payment)
    return ContractPage(
        contracts=contracts,
        lines=lines,
        origins=origins,
        signed=signed,
        payments=payments,
        next_after=next_after,
    )


def open_contracts_latest_change(*, scope: RegionScope, period: Period) -> datetime.datetime | None:
    """When the package's contents last changed (its ``publishedDate``): the
    latest contract update or payment of the region's contracts. One query."""
    latest = open_contracts(scope=scope, period=period).aggregate(
        contract=Max("updated_at"), payment=Max("payments__created_at")
    )
    return max((value for value in latest.values() if value is not None), default=None)


# --- building the release package -------------------------------------------------


def ocid(contract) -> str:
    return f"{settings.OCDS_OCID_PREFIX}-{contract.number}"


def _instant(value: datetime.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def _day(value: datetime.date) -> str:
    """A calendar day as the start of that day, Beijing time."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(value, datetime.time.min, zone).isoformat()


def _value(amount: Decimal) -> dict:
    return {"amount": amount, "currency": CURRENCY}


def _address(region: Region) -> dict:
    chain = region.ancestors_and_self()
    address = {"region": chain[0].name, "countryName": "中国"}
    if len(chain) > 1:
        address["locality"] = region.name
    return address


def _party(*, name: str, uscc: str, region: Region, roles: list[str]) -> dict:
    return {
        "id": f"{ORGANISATION_SCHEME}-{uscc}",
        "name": name,
        "identifier": {"scheme": ORGANISATION_SCHEME, "id": uscc, "legalName": name},
        "address": _address(region),
        "roles": roles,
    }


def _item(line, quantity: int, origins: dict) -> dict:
    item = {
        "id": str(line.pk),
        "description": line.product.get_title(),
        "quantity": quantity,
        "unit": {**UNIT, "value": _value(line.unit_price)},
    }
    origin = origins.get(line.origin_id)
    if origin is not None:
        item["additionalClassifications"] = [
            {"scheme": DIVISION_SCHEME, "id": origin.code, "description": origin.full_name}
        ]
    return item


def contract_release(contract, page: ContractPage) -> dict:
    """The OCDS release of one accepted contract as it stands now."""
    unit, producer = contract.organisation, contract.producer
    buyer = _party(name=unit.name, uscc=unit.uscc, region=unit.region, roles=["buyer", "payer"])
    supplier = _party(
        name=producer.name, uscc=producer.uscc, region=producer.county, roles=["supplier", "payee"]
    )
    buyer_ref = {"id": buyer["id"], "name": buyer["name"]}
    supplier_ref = {"id": supplier["id"], "name": supplier["name"]}
    lines = page.lines.get(contract.pk, [])
    payments = page.payments.get(contract.pk, [])
    signed = page.signed.get(contract.pk)
    changed = max([contract.updated_at, *(payment.created_at for payment in payments)])
    settled = contract.status == ContractStatus.SETTLED

    payment_milestone = {
        "id": "payment",
        "title": "付款",
        "type": "payment",
        "dueDate": _day(contract.due_date),
        "status": "met" if settled else "scheduled",
    }
    if settled and payments:
        payment_milestone["dateMet"] = _day(payments[-1].paid_on)
    contract_block = {
        "id": contract.number,
        "awardID": contract.order.number,
        "status": "terminated" if settled else "active",
        "value": _value(contract.payable_amount),
        "items": [_item(line, line.accepted_quantity or 0, page.origins) for line in lines],
        "period": {"endDate": _day(contract.due_date)},
        "implementation": {
            "milestones": [
                {
                    "id": "acceptance",
                    "title": "验收",
                    "type": "delivery",
                    "dueDate": _day(contract.order.requested_delivery_date),
                    "dateMet": _day(contract.accepted_on),
                    "status": "met",
                },
                payment_milestone,
            ],
            "transactions": [
                {
                    "id": str(payment.pk),
                    "date": _day(payment.paid_on),
                    "value": _value(payment.amount),
                    "payer": buyer_ref,
                    "payee": supplier_ref,
                }
                for payment in payments
            ],
        },
    }
    if signed is not None:
        contract_block["dateSigned"] = _instant(signed)
        contract_block["period"]["startDate"] = _instant(signed)
    award = {
        "id": contract.order.number,
        "status": "active",
        "value": _value(contract.goods_amount + contract.freight),
        "suppliers": [supplier_ref],
        "items": [_item(line, line.quantity, page.origins) for line in lines],
    }
    if contract.order.decided_at is not None:
        award["date"] = _instant(contract.order.decided_at)
    return {
        "ocid": ocid(contract),
        "id": f"{contract.number}-{timezone.localtime(changed):%Y%m%dT%H%M%S%f}",
        "date": _instant(changed),
        "tag": RELEASE_TAGS,
        "initiationType": "tender",
        "language": "zh",
        "parties": [buyer, supplier],
        "buyer": buyer_ref,
        "tender": {
            "id": contract.order.number,
            "status": "complete",
            "procurementMethod": "direct",
            "procurementMethodDetails": "消费帮扶商城按挂牌价直接采购",
            "mainProcurementCategory": "goods",
        },
        "awards": [award],
        "contracts": [contract_block],
    }


def release_package(
    *,
    page: ContractPage,
    uri: str,
    published: datetime.datetime | None,
    publisher_uri: str,
    next_uri: str | None,
) -> dict:
    """The release package of a page, its releases built lazily (a generator,
    for ``package_json_chunks``)."""
    package = {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": _instant(published or timezone.now()),
        "publisher": {"name": settings.OCDS_PUBLISHER_NAME, "uri": publisher_uri},
        "license": settings.OCDS_LICENSE,
        "releases": (contract_release(contract, page) for contract in page.contracts),
    }
    if next_uri:
        # OCDS's API guidance: a paginated package links to the next page.
        package["links"] = {"next": next_uri}
    return package


def _encode(value) -> str:
    """JSON text of ``value``, Decimals as exact numbers (never floats)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return "{" + ",".join(f"{_encode(str(k))}:{_encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_encode(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def package_json_chunks(package: dict) -> Iterator[str]:
    """The package as JSON text, one release at a time."""
    head = {key: value for key, value in package.items() if key != "releases"}
    yield _encode(head)[:-1] + ',"releases":['
    for index, release in enumerate(package["releases"]):
        yield ("," if index else "") + _encode(release)
    yield "]}"
