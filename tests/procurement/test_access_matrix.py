"""Every procurement URL and form, tried with another unit's and another
producer's ids: the answer is 403 or 404 and nothing in the database changes."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from procurement import models as m
from procurement import services
from procurement.models import ContractStatus, PriceBreak
from tests.factories import StaffUserFactory, product_with_stock
from tests.factories.files import MINIMAL_PDF
from tests.factories.procurement import (
    Team,
    contract_in_state,
    evidence_file,
    member,
    producer_user,
    submitted_order,
)

StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db

TODAY = timezone.localdate().isoformat()
TRACKED = [
    m.BuyerOrganisation,
    m.Membership,
    m.AnnualPlan,
    m.PlanRevision,
    m.PriceBreak,
    m.PurchaseOrder,
    m.PurchaseOrderLine,
    m.OrderTransition,
    m.Contract,
    m.ContractLine,
    m.ContractTransition,
    m.ContractAmendment,
    m.ContractCancellation,
    m.Invoice,
    m.Payment,
    m.OffPlatformPurchase,
    m.HelpedSale,
    m.ReserveRatioRule,
    StockRecord,
]


def snapshot():
    return {
        model.__name__: [
            model_to_dict(row) | {"pk": row.pk} for row in model.objects.order_by("pk")
        ]
        for model in TRACKED
    }


def pdf():
    return SimpleUploadedFile("x.pdf", MINIMAL_PDF, content_type="application/pdf")


@pytest.fixture
def world(db):
    """Unit A (a state-owned enterprise, so every page exists) with orders and
    contracts in every state from producer A; an outside unit B; producer B."""
    product = product_with_stock(stock=1000)
    seller_a = producer_user(product.producer)
    unit_a = Team(kind="soe")
    contracts = {
        state: contract_in_state(unit_a, product, 5, state, seller=seller_a)
        for state in ContractStatus.values
    }
    amendment = services.contract_amendment_propose(
        contract=contracts[ContractStatus.AWAITING],
        actor=seller_a,
        value=1,
        reason="A 运费",
    )
    cancellation = services.contract_cancel_propose(
        contract=contracts[ContractStatus.CONFIRMED], actor=seller_a, reason="A 解除"
    )
    invoice = services.invoice_record(
        contract=contracts[ContractStatus.ACCEPTED],
        actor=seller_a,
        number="FP-A",
        issued_on=timezone.localdate(),
        amount=contracts[ContractStatus.ACCEPTED].payable_amount,
        scan=evidence_file(),
    )
    draft = services.purchase_order_create(
        organisation=unit_a.organisation,
        purchaser=unit_a.purchaser,
        delivery_address="A 食堂",
        requested_delivery_date=timezone.localdate() + datetime.timedelta(days=3),
        payment_terms="goods_first",
    )
    submitted = submitted_order(unit_a, [(product, 3)])
    off_platform = services.off_platform_purchase_record(
        organisation=unit_a.organisation,
        actor=unit_a.purchaser,
        channel="direct",
        supplier_name="A 供应商",
        origin_county=product.producer.county,
        amount=100,
        purchased_on=timezone.localdate(),
        category="茶叶",
        evidence=evidence_file(),
    )
    helped_sale = services.helped_sale_record(
        organisation=unit_a.organisation,
        actor=unit_a.purchaser,
        buyer_name="A 工会",
        producer=product.producer,
        amount=100,
        sold_on=timezone.localdate(),
        evidence=evidence_file(),
    )
    price_break = PriceBreak.objects.create(
        stockrecord=product.stockrecords.get(), min_quantity=10, unit_price=30
    )
    ratio_rule = m.ReserveRatioRule.objects.create(year=2026, minimum_ratio="0.1000")
    unit_b = Team(kind="soe")
    product_b = product_with_stock(stock=10)
    seller_b = producer_user(product_b.producer)
    return {
        "unit_a": unit_a,
        "unit_b": unit_b,
        "seller_a": seller_a,
        "seller_b": seller_b,
        "product_b": product_b,
        "product": product,
        "contracts": contracts,
        "amendment": amendment,
        "cancellation": cancellation,
        "invoice": invoice,
        "draft": draft,
        "submitted": submitted,
        "off_platform": off_platform,
        "helped_sale": helped_sale,
        "price_break": price_break,
        "ratio_rule": ratio_rule,
    }


def attempts(world):
    """(method, url, data) for every page and form, aimed at unit A's objects."""
    a = world["unit_a"].organisation.pk
    record = world["product"].stockrecords.get().pk
    county = world["product"].producer.county
    yield "get", reverse("procurement:dashboard", args=[a]), None
    yield "get", reverse("procurement:plan", args=[a, 2026]), None
    yield (
        "post",
        reverse("procurement:plan", args=[a, 2026]),
        {
            "canteen_status": "own",
            "canteen_budget": "1000",
            "reserve_ratio_percent": "20",
            "reason": "x",
        },
    )
    yield "get", reverse("procurement:members", args=[a]), None
    yield (
        "post",
        reverse("procurement:members", args=[a]),
        {"email": "x@example.com", "role": "admin"},
    )
    yield "get", reverse("procurement:orders", args=[a]), None
    yield (
        "post",
        reverse("procurement:orders", args=[a]),
        {
            "delivery_address": "x",
            "requested_delivery_date": TODAY,
            "payment_terms": "goods_first",
        },
    )
    yield "get", reverse("procurement:contracts", args=[a]), None
    yield "get", reverse("procurement:contracts-download", args=[a, "xlsx"]), None
    yield "get", reverse("procurement:unit-report", args=[a, 2026, "pdf"]), None
    off_platform_form = {
        "channel": "direct",
        "supplier_name": "x",
        "province": county.parent.parent.pk,
        "city": county.parent.pk,
        "county": county.pk,
        "category": "x",
        "amount": "1",
        "purchased_on": TODAY,
        "correction_reason": "x",
    }
    yield "get", reverse("procurement:off-platform", args=[a]), None
    yield (
        "post",
        reverse("procurement:off-platform", args=[a]),
        off_platform_form | {"evidence": pdf()},
    )
    yield "get", reverse("procurement:helped-sales", args=[a]), None
    yield (
        "post",
        reverse("procurement:helped-sales", args=[a]),
        {
            "buyer_name": "x",
            "producer": world["product"].producer.pk,
            "amount": "1",
            "sold_on": TODAY,
            "evidence": pdf(),
        },
    )
    yield "get", reverse("procurement:helped-sale-evidence", args=[world["helped_sale"].pk]), None
    for order in (world["draft"], world["submitted"]):
        url = reverse("procurement:order-detail", args=[order.pk])
        yield "get", url, None
        yield "post", url, {"action": "line", "stockrecord": record, "quantity": 7}
        yield "post", url, {"action": "submit"}
        yield "post", url, {"action": "decide", "decision": "approve", "reason": ""}
        yield "post", url, {"action": "decide", "decision": "reject", "reason": "x"}
    for contract in world["contracts"].values():
        url = reverse("procurement:contract-detail", args=[contract.pk])
        yield "get", url, None
        yield "get", reverse("procurement:contract-print", args=[contract.pk]), None
        yield "get", reverse("procurement:contract-accept", args=[contract.pk]), None
        line = contract.lines.get()
        yield (
            "post",
            reverse("procurement:contract-accept", args=[contract.pk]),
            {
                "lines-TOTAL_FORMS": 1,
                "lines-INITIAL_FORMS": 1,
                "lines-0-line_id": line.pk,
                "lines-0-received": 5,
                "lines-0-accepted": 5,
                "rating": 5,
            },
        )
        for data in (
            {"action": "confirm"},
            {"action": "freight", "freight-freight": "9", "freight-reason": "x"},
            {"action": "amend_accept", "amendment": world["amendment"].pk},
            {"action": "amend_decline", "amendment": world["amendment"].pk},
            {"action": "amend_withdraw", "amendment": world["amendment"].pk},
            {"action": "cancel_propose", "cancel-reason": "x"},
            {"action": "cancel_agree", "cancellation": world["cancellation"].pk},
            {"action": "cancel_refuse", "cancellation": world["cancellation"].pk},
            {"action": "cancel_withdraw", "cancellation": world["cancellation"].pk},
            {"action": "decline", "decline-reason": "x"},
            {"action": "ship", "ship-carrier": "x", "ship-tracking_number": "x"},
            {
                "action": "invoice",
                "invoice-number": "FP-X",
                "invoice-issued_on": TODAY,
                "invoice-amount": "1",
                "invoice-scan": pdf(),
            },
            {"action": "pay", "pay-reference": "X", "pay-paid_on": TODAY, "pay-amount": "1"},
            {"action": "terms", "terms-payment_days": "10", "terms-daily_interest_percent": "0.01"},
        ):
            yield "post", url, data
    contract = world["contracts"][ContractStatus.ACCEPTED]
    yield "get", reverse("procurement:invoice-scan", args=[contract.pk, world["invoice"].pk]), None
    off = world["off_platform"].pk
    yield "get", reverse("procurement:off-platform-correct", args=[off]), None
    yield (
        "post",
        reverse("procurement:off-platform-correct", args=[off]),
        off_platform_form | {"evidence": pdf()},
    )
    yield "get", reverse("procurement:off-platform-evidence", args=[off]), None
    yield (
        "post",
        reverse("procurement:price-breaks"),
        {
            "stockrecord": record,
            "min_quantity": 20,
            "unit_price": "20",
        },
    )
    yield (
        "post",
        reverse("procurement:price-breaks"),
        {
            "action": "remove",
            "price_break": world["price_break"].pk,
        },
    )
    producer = world["product"].producer.pk
    yield "get", reverse("procurement:supplier-statement", args=[producer]), None
    yield "get", reverse("procurement:supplier-statement-xlsx", args=[producer]), None
    yield "get", reverse("procurement:supplier-sales", args=[producer, 2026, "xlsx"]), None
    yield "get", reverse("procurement:review-progress"), None
    yield "get", reverse("procurement:review-units"), None
    yield (
        "post",
        reverse("procurement:review-units"),
        {
            "organisation": world["unit_b"].organisation.pk,
            "decision": "reject",
        },
    )
    yield "get", reverse("procurement:review-off-platform"), None
    yield (
        "post",
        reverse("procurement:review-off-platform"),
        {
            "record": off,
            "decision": "approve",
            "note": "",
        },
    )
    yield "get", reverse("procurement:review-evidence", args=[off]), None
    yield "post", reverse("procurement:withdraw", args=[world["unit_a"].organisation.pk]), None
    yield "get", reverse("procurement:review-contests"), None
    # The minimum reserve-ratio rules are the programme's, kept by staff only.
    rule = {"year": "2026", "province": "", "minimum_ratio_percent": "50"}
    yield "get", reverse("procurement:ratio-rules"), None
    yield "post", reverse("procurement:ratio-rules"), rule | {"year": "2027"}
    yield "get", reverse("procurement:ratio-rule-edit", args=[world["ratio_rule"].pk]), None
    yield "post", reverse("procurement:ratio-rule-edit", args=[world["ratio_rule"].pk]), rule


def outsiders(world):
    unit_b = world["unit_b"]
    everything = member(unit_b.organisation, "purchaser", "approver", "finance", "admin")
    return {
        "other unit (every role)": everything,
        "other producer": world["seller_b"],
    }


def test_other_units_and_other_producers_get_403_or_404_and_change_nothing(client, world):
    users = outsiders(world)
    before = snapshot()
    for who, user in users.items():
        client.force_login(user)
        for method, url, data in attempts(world):
            response = getattr(client, method)(url, data or {})
            assert response.status_code in (403, 404), (
                who,
                method,
                url,
                data,
                response.status_code,
            )
    assert snapshot() == before


def test_lists_show_nothing_of_other_units_or_producers(client, world):
    a_numbers = [c.number for c in world["contracts"].values()]
    client.force_login(world["seller_b"])
    page = client.get(reverse("procurement:supplier-contracts")).content.decode()
    assert not any(number in page for number in a_numbers)
    client.force_login(world["unit_b"].admin)
    page = client.get(reverse("procurement:home")).content.decode()
    assert world["unit_a"].organisation.name not in page


def test_parent_unit_admin_sees_a_child_unit_but_cannot_act_for_it(client, world):
    unit_a = world["unit_a"].organisation
    parent = Team()
    unit_a.parent = parent.organisation
    unit_a.save()
    client.force_login(parent.admin)
    assert client.get(reverse("procurement:dashboard", args=[unit_a.pk])).status_code == 200
    submitted = reverse("procurement:order-detail", args=[world["submitted"].pk])
    assert client.get(submitted).status_code == 200
    before = snapshot()
    response = client.post(submitted, {"action": "decide", "decision": "approve", "reason": ""})
    assert response.status_code == 403
    assert snapshot() == before
    off_platform = client.get(reverse("procurement:off-platform", args=[unit_a.pk]))
    assert off_platform.status_code == 200 and not off_platform.context["can_record"]
    assert "登记平台外采购" not in off_platform.content.decode()
    # A parent purchaser has no supervising role: the child stays invisible.
    client.force_login(parent.purchaser)
    assert client.get(reverse("procurement:dashboard", args=[unit_a.pk])).status_code == 404


def test_wrong_role_inside_the_unit_is_refused(client, world):
    unit_a = world["unit_a"]
    shipped = world["contracts"][ContractStatus.SHIPPED]
    awaiting = world["contracts"][ContractStatus.AWAITING]
    before = snapshot()
    client.force_login(unit_a.finance)
    line = shipped.lines.get()
    response = client.post(
        reverse("procurement:contract-accept", args=[shipped.pk]),
        {
            "lines-TOTAL_FORMS": 1,
            "lines-INITIAL_FORMS": 1,
            "lines-0-line_id": line.pk,
            "lines-0-received": 5,
            "lines-0-accepted": 5,
            "rating": 5,
        },
    )
    assert response.status_code == 403
    client.force_login(unit_a.purchaser)
    url = reverse("procurement:contract-detail", args=[awaiting.pk])
    assert client.post(url, {"action": "confirm"}).status_code == 403
    amendment = {"amendment": world["amendment"].pk}
    assert client.post(url, {"action": "amend_withdraw"} | amendment).status_code == 403
    # Only a purchaser decides: not the approver, finance, the unit admin or the supplier.
    for user in (unit_a.approver, unit_a.finance, unit_a.admin, world["seller_a"]):
        client.force_login(user)
        for action in ("amend_accept", "amend_decline"):
            assert client.post(url, {"action": action} | amendment).status_code == 403
    client.force_login(StaffUserFactory())
    assert client.get(url).status_code == 200
    assert snapshot() == before


def test_an_amendment_of_another_contract_is_a_404_on_ones_own(client, world):
    """Posting unit A's amendment id at a contract one may act on changes nothing."""
    unit_b, seller_b = world["unit_b"], world["seller_b"]
    own = contract_in_state(unit_b, world["product_b"], 1, ContractStatus.AWAITING, seller=seller_b)
    url = reverse("procurement:contract-detail", args=[own.pk])
    amendment = {"amendment": world["amendment"].pk}
    before = snapshot()
    for user, actions in (
        (unit_b.purchaser, ("amend_accept", "amend_decline")),
        (seller_b, ("amend_withdraw",)),
    ):
        client.force_login(user)
        for action in actions:
            assert client.post(url, {"action": action} | amendment).status_code == 404
        assert client.post(url, {"action": "amend_accept", "amendment": "x1"}).status_code == 404
    assert snapshot() == before


# Pages that hold no other unit's or producer's objects, with why.
NOT_OBJECT_PAGES = {
    "home": "lists only the user's own units and contracts",
    "apply": "creates the user's own application",
    "supplier-contracts": "lists only the user's own producers' contracts",
    "price-breaks": "lists only the user's own stock records",
    "review-units": "staff only",
    "review-progress": "staff only",
    "review-off-platform": "staff only",
    "review-contests": "staff only",
    "uscc-contest": "files and lists the user's own claims",
    # Staff only: anonymous users are sent to log in, everyone else gets 403
    # (tests/procurement/test_pairing_pages.py).
    "pairings": "staff only",
    "pairing-new": "staff only",
    "pairing-import": "staff only",
    "pairing-detail": "staff only",
    "pairing-edit": "staff only",
    "pairing-end": "staff only",
}


def test_every_procurement_url_is_in_the_matrix(world):
    from django.urls import get_resolver, resolve

    names = {
        name
        for name in get_resolver().namespace_dict["procurement"][1].reverse_dict
        if isinstance(name, str)
    }
    covered = {resolve(url).url_name for _method, url, _data in attempts(world)}
    assert names - covered - set(NOT_OBJECT_PAGES) == set(), "add these URLs to the matrix"
