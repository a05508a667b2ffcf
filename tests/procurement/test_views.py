"""Every procurement page through the test client: the journey from order to
payment, the forms' Chinese errors, and the dashboard's query count."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from procurement.models import (
    AnnualPlan,
    BuyerOrganisation,
    ContractStatus,
    HelpedSale,
    Membership,
    OffPlatformPurchase,
    PriceBreak,
    PurchaseOrder,
)
from tests.factories import StaffUserFactory, UserFactory, county, valid_uscc
from tests.factories.files import MINIMAL_PDF
from tests.factories.procurement import Team, contract_in_state, evidence_file, submitted_order

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def login(client, user):
    client.force_login(user)
    return client


def pdf(name="scan.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def test_order_to_payment_through_the_pages(client, team, product, seller):
    login(client, team.purchaser)
    response = client.post(
        reverse("procurement:orders", args=[team.organisation.pk]),
        {
            "delivery_address": "西安市未央区 机关食堂",
            "requested_delivery_date": (TODAY + datetime.timedelta(days=10)).isoformat(),
            "payment_terms": "goods_first",
        },
    )
    order = PurchaseOrder.objects.get()
    assert response.url == reverse("procurement:order-detail", args=[order.pk])
    detail = reverse("procurement:order-detail", args=[order.pk])
    page = client.get(detail, {"q": product.title[:6]})
    assert product.title in page.content.decode()
    record = product.stockrecords.get()
    client.post(detail, {"action": "line", "stockrecord": record.pk, "quantity": 120})
    client.post(detail, {"action": "submit"})
    order.refresh_from_db()
    assert order.status == "submitted"
    assert order.lines.get().unit_price == Decimal("39.90")

    login(client, team.approver)
    client.post(detail, {"action": "decide", "decision": "approve", "reason": ""})
    contract = order.contracts.get()

    login(client, seller)
    contract_url = reverse("procurement:contract-detail", args=[contract.pk])
    assert client.get(reverse("procurement:supplier-contracts")).status_code == 200
    # The history says why the contract began in the reader's language.
    assert "采购单审批通过" in client.get(contract_url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Purchase order approved" in client.get(contract_url).content.decode()
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    client.post(
        contract_url,
        {"action": "freight", "freight-freight": "80.00", "freight-reason": "专车配送"},
    )
    amendment = contract.amendments.get()
    login(client, team.purchaser)
    client.post(contract_url, {"action": "amend_accept", "amendment": amendment.pk})
    login(client, seller)
    client.post(contract_url, {"action": "confirm"})
    client.post(
        contract_url, {"action": "ship", "ship-carrier": "顺丰", "ship-tracking_number": "SF1"}
    )
    contract.refresh_from_db()
    assert (contract.status, contract.freight) == (ContractStatus.SHIPPED, Decimal("80.00"))

    login(client, team.purchaser)
    line = contract.lines.get()
    accept_url = reverse("procurement:contract-accept", args=[contract.pk])
    assert client.get(accept_url).status_code == 200
    response = client.post(
        accept_url,
        {
            "lines-TOTAL_FORMS": 1,
            "lines-INITIAL_FORMS": 1,
            "lines-0-line_id": line.pk,
            "lines-0-received": 120,
            "lines-0-accepted": 110,
            "lines-0-notes": "10 箱破损",
            "rating": 4,
            "notes": "",
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.accepted_amount == Decimal("4389.00")

    login(client, seller)
    client.post(
        contract_url,
        {
            "action": "invoice",
            "invoice-number": "FP0001",
            "invoice-issued_on": TODAY.isoformat(),
            "invoice-amount": "4469.00",
            "invoice-scan": pdf(),
        },
    )
    assert contract.invoices.count() == 1
    invoice = contract.invoices.get()
    assert (
        client.get(reverse("procurement:invoice-scan", args=[contract.pk, invoice.pk])).status_code
        == 200
    )

    login(client, team.finance)
    client.post(
        contract_url,
        {
            "action": "pay",
            "pay-reference": "ZZ1",
            "pay-paid_on": TODAY.isoformat(),
            "pay-amount": "4469.00",
        },
    )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SETTLED
    page = client.get(contract_url).content.decode()
    assert "已结清" in page
    printable = client.get(
        reverse("procurement:contract-print", args=[contract.pk])
    ).content.decode()
    assert contract.number in printable and team.organisation.uscc in printable


def test_a_new_draft_orders_history_says_it_was_created_not_approved(client, team):
    login(client, team.purchaser)
    client.post(
        reverse("procurement:orders", args=[team.organisation.pk]),
        {
            "delivery_address": "西安市未央区 机关食堂",
            "requested_delivery_date": (TODAY + datetime.timedelta(days=10)).isoformat(),
            "payment_terms": "goods_first",
        },
    )
    order = PurchaseOrder.objects.get()
    page = client.get(reverse("procurement:order-detail", args=[order.pk])).content.decode()
    history = page[page.index('id="transitions"') :]
    assert "采购单审批通过" not in history
    assert "创建采购单" in history
    assert order.transitions.get().action == "create"


def test_overpayment_shows_a_chinese_error_and_records_nothing(client, team, product, seller):
    contract = contract_in_state(team, product, 10, ContractStatus.ACCEPTED, seller=seller)
    login(client, team.finance)
    response = client.post(
        reverse("procurement:contract-detail", args=[contract.pk]),
        {
            "action": "pay",
            "pay-reference": "ZZ9",
            "pay-paid_on": TODAY.isoformat(),
            "pay-amount": "99999",
        },
    )
    assert response.status_code == 200
    assert "累计付款不能超过合同应付金额" in response.content.decode()
    assert not contract.payments.exists()


def test_purchaser_sees_the_segregation_message_instead_of_an_approval_form(client, team, product):
    Membership.objects.create(organisation=team.organisation, user=team.purchaser, role="approver")
    login(client, team.purchaser)
    order = submitted_order(team, [(product, 5)])
    detail = reverse("procurement:order-detail", args=[order.pk])
    assert "采购人不能审批自己提交的采购单" in client.get(detail).content.decode()
    response = client.post(detail, {"action": "decide", "decision": "approve", "reason": ""})
    assert "采购人不能审批" in response.content.decode()
    order.refresh_from_db()
    assert order.status == "submitted"
    assert not order.contracts.exists()


def test_plan_form_files_and_revises_and_refuses_a_low_ratio(client, team, settings):
    settings.PROCUREMENT_PLAN_FILING_DEADLINE = (12, 31)
    year = TODAY.year
    login(client, team.admin)
    url = reverse("procurement:plan", args=[team.organisation.pk, year])
    response = client.post(
        url, {"canteen_status": "own", "canteen_budget": "500000", "reserve_ratio_percent": "5"}
    )
    assert "预留比例不得低于 10%" in response.content.decode()
    assert not AnnualPlan.objects.exists()
    client.post(
        url, {"canteen_status": "own", "canteen_budget": "500000", "reserve_ratio_percent": "15"}
    )
    client.post(
        url,
        {
            "canteen_status": "own",
            "canteen_budget": "600000",
            "reserve_ratio_percent": "15",
            "reason": "扩编",
        },
    )
    plan = AnnualPlan.objects.get()
    assert plan.target_amount == Decimal("90000.00") and plan.revisions.count() == 2
    assert "扩编" in client.get(url).content.decode()


def test_off_platform_record_correction_and_staff_verification(client, team):
    region = county("610924")
    login(client, team.purchaser)
    url = reverse("procurement:off-platform", args=[team.organisation.pk])
    data = {
        "channel": "direct",
        "supplier_name": "紫阳县茶叶合作社",
        "province": region.parent.parent.pk,
        "city": region.parent.pk,
        "county": region.pk,
        "category": "茶叶",
        "amount": "12000",
        "purchased_on": TODAY.isoformat(),
    }
    bad = client.post(url, data | {"evidence": SimpleUploadedFile("a.exe", b"MZ")})
    assert "仅支持 JPEG、PNG 图片或 PDF 文件" in bad.content.decode()
    client.post(url, data | {"evidence": pdf()})
    original = OffPlatformPurchase.objects.get()
    assert (
        client.get(reverse("procurement:off-platform-evidence", args=[original.pk])).status_code
        == 200
    )
    correct_url = reverse("procurement:off-platform-correct", args=[original.pk])
    assert client.get(correct_url).status_code == 200
    client.post(
        correct_url, data | {"amount": "11000", "evidence": pdf(), "correction_reason": "少算运费"}
    )
    assert OffPlatformPurchase.objects.count() == 2

    staff = StaffUserFactory()
    login(client, staff)
    review = reverse("procurement:review-off-platform")
    assert "紫阳县茶叶合作社" in client.get(review).content.decode()
    correction = OffPlatformPurchase.objects.get(corrects=original)
    client.post(review, {"record": correction.pk, "decision": "reject", "note": ""})
    correction.refresh_from_db()
    assert correction.status == "pending"
    client.post(review, {"record": correction.pk, "decision": "approve", "note": ""})
    correction.refresh_from_db()
    assert correction.status == "verified"
    assert (
        client.get(reverse("procurement:review-evidence", args=[correction.pk])).status_code == 200
    )


def test_organisation_application_and_staff_review(client):
    applicant = UserFactory()
    region = county("611026")
    login(client, applicant)
    url = reverse("procurement:apply")
    data = {
        "kind": "agency",
        "name": "柞水县农业农村局",
        "province": region.parent.parent.pk,
        "city": region.parent.pk,
        "county": region.pk,
    }
    bad = client.post(url, data | {"uscc": "11611026MB0000000X"})
    assert "统一社会信用代码" in bad.content.decode()
    assert not BuyerOrganisation.objects.exists()
    client.post(url, data | {"uscc": valid_uscc(90_000_001, region_code="611026", prefix="11")})
    organisation = BuyerOrganisation.objects.get()
    assert organisation.status == "pending"
    assert organisation.memberships.get().user == applicant

    login(client, StaffUserFactory())
    review = reverse("procurement:review-units")
    assert organisation.name in client.get(review).content.decode()
    client.post(review, {"organisation": organisation.pk, "decision": "approve"})
    organisation.refresh_from_db()
    assert organisation.status == "active"


def test_unit_admin_invites_a_member_by_email(
    client, team, mailoutbox, django_capture_on_commit_callbacks
):
    login(client, team.admin)
    url = reverse("procurement:members", args=[team.organisation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "new.finance@example.gov.cn", "role": "finance"})
    assert team.organisation.memberships.filter(user__email="new.finance@example.gov.cn").exists()
    assert len(mailoutbox) == 1
    login(client, team.purchaser)
    assert client.post(url, {"email": "x@example.com", "role": "admin"}).status_code == 403


def test_producer_sets_price_breaks_below_the_listed_price(client, product, seller):
    login(client, seller)
    url = reverse("procurement:price-breaks")
    record = product.stockrecords.get()
    response = client.post(
        url, {"stockrecord": record.pk, "min_quantity": 100, "unit_price": "50"}, follow=True
    )
    assert "批量单价应高于 0 且低于零售价" in response.content.decode()
    client.post(url, {"stockrecord": record.pk, "min_quantity": 100, "unit_price": "35"})
    price_break = PriceBreak.objects.get()
    assert price_break.unit_price == Decimal("35.00")
    client.post(url, {"action": "remove", "price_break": price_break.pk})
    assert not PriceBreak.objects.exists()


def test_soe_records_helped_sales_other_units_have_no_such_page(client, product):
    soe = Team(kind="soe")
    login(client, soe.purchaser)
    url = reverse("procurement:helped-sales", args=[soe.organisation.pk])
    client.post(
        url,
        {
            "buyer_name": "集团工会",
            "producer": product.producer.pk,
            "amount": "30000",
            "sold_on": TODAY.isoformat(),
            "evidence": pdf(),
        },
    )
    assert HelpedSale.objects.get().amount == Decimal("30000.00")
    agency = Team()
    login(client, agency.purchaser)
    assert (
        client.get(reverse("procurement:helped-sales", args=[agency.organisation.pk])).status_code
        == 404
    )


def test_home_lists_own_units_and_children_for_supervising_roles(client, team):
    child = Team(organisation=None, parent=team.organisation)
    login(client, team.admin)
    page = client.get(reverse("procurement:home")).content.decode()
    assert team.organisation.name in page and child.organisation.name in page
    login(client, team.purchaser)
    page = client.get(reverse("procurement:home")).content.decode()
    assert child.organisation.name not in page
    assert (
        client.get(reverse("procurement:dashboard", args=[child.organisation.pk])).status_code
        == 404
    )


def build_unit_with_contracts(team, product, seller, count):
    for state in [ContractStatus.SHIPPED, ContractStatus.ACCEPTED, ContractStatus.SETTLED] * count:
        contract_in_state(team, product, 2, state, seller=seller)


def test_dashboard_query_count_does_not_grow_with_contracts(
    client, team, product, seller, django_assert_max_num_queries
):
    AnnualPlan.objects.create(
        organisation=team.organisation,
        year=TODAY.year,
        canteen_status="own",
        canteen_budget=Decimal("100000"),
        reserve_ratio=Decimal("0.1"),
        filing_deadline=datetime.date(TODAY.year, 3, 31),
    )
    OffPlatformPurchase.objects.create(
        organisation=team.organisation,
        channel="direct",
        supplier_name="x",
        origin_county=product.producer.county,
        amount=Decimal("100"),
        purchased_on=TODAY,
        category="茶叶",
        evidence=evidence_file(),
        recorded_by=team.purchaser,
    )
    build_unit_with_contracts(team, product, seller, 1)
    login(client, team.approver)
    url = reverse("procurement:dashboard", args=[team.organisation.pk])
    client.get(url)
    # 15 of ours (session, user, visibility, plan, six aggregates, four action lists,
    # roles) plus the storefront layout's own (basket, categories, notifications, and
    # the header's role entries: customer.rules.user_roles).
    with django_assert_max_num_queries(25) as small:
        response = client.get(url)
    assert response.status_code == 200
    small_count = len(small.captured_queries)  # read before the next request resets the log
    build_unit_with_contracts(team, product, seller, 5)
    # The new contracts' products changed the catalogue, which retires the cached
    # category menu (catalogue.cache): warm it again, as the first visit did.
    client.get(url)
    with django_assert_max_num_queries(small_count):
        response = client.get(url)
    assert response.context["progress"].counted == Decimal("79.80") * 12


def test_overdue_contract_is_flagged_to_buyer_and_producer_with_late_interest(
    client, team, product, seller
):
    accepted_on = TODAY - datetime.timedelta(days=40)
    contract = contract_in_state(
        team, product, 100, ContractStatus.ACCEPTED, seller=seller, accepted_on=accepted_on
    )
    # 10 days past the 30-day term on ¥3,990.00 at 0.05% a day.
    for user in (team.finance, seller):
        login(client, user)
        page = client.get(
            reverse("procurement:contract-detail", args=[contract.pk])
        ).content.decode()
        assert "已逾期" in page and "¥19.95" in page
    assert "已逾期" in client.get(reverse("procurement:supplier-contracts")).content.decode()
    login(client, team.finance)
    listing = client.get(
        reverse("procurement:contracts", args=[team.organisation.pk]), {"status": "overdue"}
    )
    assert contract.number in listing.content.decode()


def test_staff_overview_shows_every_units_progress_in_one_query_per_page(
    client, team, product, seller, django_assert_max_num_queries
):
    AnnualPlan.objects.create(
        organisation=team.organisation,
        year=TODAY.year,
        canteen_status="own",
        canteen_budget=Decimal("10000"),
        reserve_ratio=Decimal("0.15"),
        filing_deadline=datetime.date(TODAY.year, 3, 31),
    )
    union = Team(kind="union", union_of=team.organisation)
    contract_in_state(team, product, 10, ContractStatus.ACCEPTED, seller=seller)
    contract_in_state(union, product, 10, ContractStatus.SETTLED, seller=seller)
    contract_in_state(team, product, 5, ContractStatus.SHIPPED, seller=seller)
    login(client, StaffUserFactory())
    url = reverse("procurement:review-progress")
    client.get(url)
    with django_assert_max_num_queries(15) as small:
        response = client.get(url)
    (row,) = [u for u in response.context["page"] if u.pk == team.organisation.pk]
    assert (row.target, row.counted, row.pending, row.percent) == (
        Decimal("1500.00"),
        Decimal("798.00"),
        Decimal("199.50"),
        Decimal("53.2"),
    )
    assert union.organisation.name not in response.content.decode()
    for _ in range(5):
        other = Team()
        contract_in_state(other, product, 1, ContractStatus.ACCEPTED, seller=seller)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
    login(client, team.admin)
    assert client.get(url).status_code == 403


def test_shared_canteen_choices_are_nearby_units_only(client, team):
    sibling_parent = Team()
    team.organisation.parent = sibling_parent.organisation
    team.organisation.save()
    sibling = Team(parent=sibling_parent.organisation, region=county("610924"))
    far_away = Team(region=county("610924"))
    login(client, team.admin)
    form = client.get(reverse("procurement:plan", args=[team.organisation.pk, TODAY.year])).context[
        "form"
    ]
    choices = set(form.fields["represented_by"].queryset)
    assert {sibling_parent.organisation, sibling.organisation} <= choices
    assert far_away.organisation not in choices and team.organisation not in choices


def test_acceptance_page_is_only_for_shipped_contracts(client, team, product, seller):
    contract = contract_in_state(team, product, 10, ContractStatus.CONFIRMED, seller=seller)
    login(client, team.purchaser)
    response = client.get(reverse("procurement:contract-accept", args=[contract.pk]), follow=True)
    assert "只有已发货的合同可以验收" in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == ContractStatus.CONFIRMED


def test_finance_agrees_terms_and_producer_declines_through_the_contract_page(
    client, team, product, seller
):
    contract = contract_in_state(team, product, 10, ContractStatus.AWAITING, seller=seller)
    url = reverse("procurement:contract-detail", args=[contract.pk])
    login(client, team.finance)
    too_long = client.post(
        url, {"action": "terms", "terms-payment_days": "75", "terms-daily_interest_percent": "0.05"}
    )
    assert "60" in too_long.content.decode()
    client.post(
        url, {"action": "terms", "terms-payment_days": "45", "terms-daily_interest_percent": "0.03"}
    )
    contract.refresh_from_db()
    assert (contract.payment_days, contract.daily_interest_rate) == (45, Decimal("0.000300"))

    login(client, seller)
    empty = client.post(url, {"action": "decline", "decline-reason": ""})
    assert empty.status_code == 200
    client.post(url, {"action": "decline", "decline-reason": "该批次已售罄"})
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DECLINED
    assert contract.transitions.last().reason == "该批次已售罄"


def test_payment_form_shows_only_when_the_contract_may_be_paid_now(client, team, product, seller):
    login(client, team.finance)

    def page(contract):
        return client.get(
            reverse("procurement:contract-detail", args=[contract.pk])
        ).content.decode()

    goods_first = contract_in_state(team, product, 10, ContractStatus.SHIPPED, seller=seller)
    assert 'id="record-payment"' not in page(goods_first)
    response = client.post(
        reverse("procurement:contract-detail", args=[goods_first.pk]),
        {
            "action": "pay",
            "pay-reference": "EARLY",
            "pay-paid_on": TODAY.isoformat(),
            "pay-amount": "1",
        },
    )
    assert "先货后款" in response.content.decode()
    assert not goods_first.payments.exists()

    accepted = contract_in_state(team, product, 10, ContractStatus.ACCEPTED, seller=seller)
    assert 'id="record-payment"' in page(accepted)
    pay_first = contract_in_state(
        team, product, 10, ContractStatus.CONFIRMED, seller=seller, payment_terms="pay_first"
    )
    assert 'id="record-payment"' in page(pay_first)
    settled = contract_in_state(team, product, 10, ContractStatus.SETTLED, seller=seller)
    assert 'id="record-payment"' not in page(settled)
