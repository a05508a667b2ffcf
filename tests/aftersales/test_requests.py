"""Per-line refund-only and return-and-refund requests after shipping: the
producer decides within the deadline, silence escalates to staff, staff
arbitrate, a received return goes back into stock, and every refund goes
through the one refund service, never beyond what the line cost (issue 13
item 4)."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_model

from aftersales import services
from aftersales.models import CaseKind, CaseStatus
from common.exceptions import DomainError
from payments.models import BankRefundKind, StripePayment
from tests.factories import (
    StaffUserFactory,
    UserFactory,
    bank_order_paid,
    bomb_png_bytes,
    card_order_paid,
    png_bytes,
    producer_of,
    product_with_stock,
    shipped,
    upload,
)
from tests.support import stripe as fake_stripe

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _photos_stored_apart(private_root):
    """Request photos go to a private storage of the test's own."""


@pytest.fixture
def product(db):
    return product_with_stock(price=Decimal("50.00"), stock=10)


@pytest.fixture
def order(product):
    return shipped(bank_order_paid(product))


def worker_of(line):
    user = UserFactory()
    producer_of(line).partner.users.add(user)
    return user


def ask(order, *, kind=CaseKind.REFUND_ONLY, quantity=1, photos=(), actor=None):
    return services.case_request(
        order_id=order.pk,
        line_id=order.lines.get().pk,
        actor=actor or order.user,
        kind=kind,
        quantity=quantity,
        reason="damaged",
        description="木耳受潮发霉",
        photos=photos,
    )


def test_a_request_names_its_amount_deadline_and_producer(
    order, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.AFTERSALES_RESPONSE_HOURS = 48
    with django_capture_on_commit_callbacks(execute=True):
        case = ask(order, photos=[upload("a.png", png_bytes())])

    line = order.lines.get()
    assert (case.status, case.amount, case.producer) == (
        CaseStatus.REQUESTED,
        Decimal("50.00"),
        producer_of(line),
    )
    assert case.respond_by - case.created_at < datetime.timedelta(hours=48, seconds=5)
    assert case.photos.count() == 1
    assert case.photos.get().image.name.endswith(".png")
    mail = mailoutbox[-1]
    assert f"/aftersales/workspace/{case.producer_id}/cases/{case.pk}/" in mail.body


def test_refund_only_accepted_by_the_producer_is_refunded_at_once(order):
    case = ask(order)

    services.case_accept(case_id=case.pk, actor=worker_of(order.lines.get()))

    case.refresh_from_db()
    assert case.status == CaseStatus.REFUNDED
    assert (case.bank_refund.kind, case.bank_refund.amount) == (
        BankRefundKind.AFTERSALES,
        Decimal("50.00"),
    )
    assert [e.action for e in case.log.all()] == ["request", "accept", "refund"]


def test_a_return_is_refunded_once_the_producer_has_the_goods_back_in_stock(order, product):
    case = ask(order, kind=CaseKind.RETURN_REFUND, quantity=2)
    worker = worker_of(order.lines.get())
    services.case_accept(case_id=case.pk, actor=worker)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED and case.bank_refund is None

    services.case_ship_back(
        case_id=case.pk, actor=order.user, carrier="中通", tracking_number="ZT123"
    )
    before = StockRecord.objects.get(product=product).num_in_stock
    services.case_receive_return(case_id=case.pk, actor=worker)

    case.refresh_from_db()
    assert case.status == CaseStatus.REFUNDED
    assert case.amount == Decimal("100.00")
    assert StockRecord.objects.get(product=product).num_in_stock == before + 2
    assert (case.return_carrier, case.return_tracking_number) == ("中通", "ZT123")


def test_a_return_waybill_is_required(order):
    case = ask(order, kind=CaseKind.RETURN_REFUND)
    services.case_accept(case_id=case.pk, actor=worker_of(order.lines.get()))

    with pytest.raises(DomainError) as refused:
        services.case_ship_back(case_id=case.pk, actor=order.user, carrier=" ", tracking_number="")

    assert refused.value.code == "aftersales_return_waybill_required"


def test_a_card_refund_goes_to_stripe_with_the_cases_key(stripe_on, product):
    order = shipped(card_order_paid(product))
    case = ask(order)

    services.case_accept(case_id=case.pk, actor=worker_of(order.lines.get()))

    case.refresh_from_db()
    intent_id = StripePayment.objects.get(order=order, status="succeeded").intent_id
    assert [r["amount"] for r in fake_stripe.refunds_of(intent_id)] == [5000]
    assert case.stripe_refund.idempotency_key == f"aftersales-case-{case.pk}"


def test_requests_never_take_more_units_than_the_line_has(order):
    ask(order, quantity=2)

    with pytest.raises(DomainError) as refused:
        ask(order, quantity=1)

    assert refused.value.code == "aftersales_quantity_invalid"


def test_a_withdrawn_request_frees_its_units(order):
    case = ask(order, quantity=2)
    services.case_withdraw(case_id=case.pk, actor=order.user)

    again = ask(order, quantity=2)

    assert again.amount == Decimal("100.00")


def test_an_unshipped_line_takes_no_request(product):
    order = bank_order_paid(product)

    with pytest.raises(DomainError) as refused:
        ask(order)

    assert refused.value.code == "aftersales_line_not_requestable"


def test_only_the_buyer_asks(order):
    with pytest.raises(DomainError) as refused:
        ask(order, actor=UserFactory())

    assert refused.value.code == "aftersales_order_not_yours"


def test_another_producer_cannot_decide(order):
    case = ask(order)
    stranger = UserFactory()
    product_with_stock().producer.partner.users.add(stranger)

    with pytest.raises(DomainError) as refused:
        services.case_accept(case_id=case.pk, actor=stranger)

    assert refused.value.code == "aftersales_not_permitted"
    case.refresh_from_db()
    assert case.status == CaseStatus.REQUESTED


def test_a_rejection_needs_a_reason(order):
    case = ask(order)

    with pytest.raises(DomainError) as refused:
        services.case_reject(case_id=case.pk, actor=worker_of(order.lines.get()), reason=" ")

    assert refused.value.code == "aftersales_reason_required"


def test_a_disputed_rejection_goes_to_staff_who_approve_and_refund(order):
    case = ask(order)
    services.case_reject(case_id=case.pk, actor=worker_of(order.lines.get()), reason="已签收无异常")
    services.case_dispute(case_id=case.pk, actor=order.user, reason="照片显示发霉")
    case.refresh_from_db()
    assert case.status == CaseStatus.ESCALATED

    services.case_arbitrate(case_id=case.pk, actor=StaffUserFactory(), approve=True)

    case.refresh_from_db()
    assert case.status == CaseStatus.REFUNDED


def test_staff_decline_closes_the_case_with_a_reason(order):
    case = ask(order)
    services.case_reject(case_id=case.pk, actor=worker_of(order.lines.get()), reason="无质量问题")
    services.case_dispute(case_id=case.pk, actor=order.user, reason="有问题")

    services.case_arbitrate(
        case_id=case.pk, actor=StaffUserFactory(), approve=False, reason="证据不足"
    )

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.bank_refund is None


def test_silence_past_the_deadline_escalates_to_staff(order):
    case = ask(order)
    services.cases_escalate_overdue(now=case.respond_by - datetime.timedelta(minutes=1))
    case.refresh_from_db()
    assert case.status == CaseStatus.REQUESTED

    type(case).objects.filter(pk=case.pk).update(
        respond_by=timezone.now() - datetime.timedelta(hours=1)
    )
    call_command("aftersales_escalate_overdue")

    case.refresh_from_db()
    assert case.status == CaseStatus.ESCALATED
    entry = case.log.last()
    assert (entry.action, entry.actor) == ("escalate", None)


def test_a_photo_that_is_no_image_is_refused_and_nothing_is_saved(order):
    with pytest.raises(DomainError) as refused:
        ask(order, photos=[upload("evil.png", b"<script>alert(1)</script>")])

    assert refused.value.code == "aftersales_photo_refused"
    assert not order.aftersales_cases.exists()


def test_a_decompression_bomb_is_refused(order):
    with pytest.raises(DomainError) as refused:
        ask(order, photos=[upload("bomb.png", bomb_png_bytes(20_000, 20_000))])

    assert refused.value.code == "aftersales_photo_refused"


def test_too_many_photos_are_refused(order, settings):
    settings.AFTERSALES_MAX_PHOTOS = 1

    with pytest.raises(DomainError) as refused:
        ask(order, photos=[upload("a.png", png_bytes()), upload("b.png", png_bytes())])

    assert refused.value.code == "aftersales_too_many_photos"


def test_a_refund_larger_than_the_order_still_holds_is_refused(order):
    case = ask(order)
    # The buyer's money went back another way meanwhile (staff refunded by hand).
    source = order.sources.get()
    source.refund(Decimal("80.00"), reference="manual")

    with pytest.raises(DomainError) as refused:
        services.case_accept(case_id=case.pk, actor=worker_of(order.lines.get()))

    assert refused.value.code == "aftersales_refund_exceeds_paid"
    case.refresh_from_db()
    assert case.status == CaseStatus.REQUESTED
