"""After-sales pages: the buyer cancels and asks from the order page, the
producer decides in its workspace, staff arbitrate in the dashboard. Every
after-sales URL refuses anonymous visitors, other buyers and other producers
(issue 13 item 4)."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import get_resolver, reverse

from aftersales import services
from aftersales.models import CaseKind, CaseStatus
from tests.factories import (
    StaffUserFactory,
    UserFactory,
    bank_order_paid,
    png_bytes,
    producer_of,
    product_with_stock,
    shipped,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _photos_stored_apart(private_root):
    """Request photos go to a private storage of the test's own."""


@pytest.fixture
def world():
    product = product_with_stock(price=Decimal("50.00"), stock=10)
    order = shipped(bank_order_paid(product))
    line = order.lines.get()
    worker = UserFactory()
    producer = producer_of(line)
    producer.partner.users.add(worker)
    case = services.case_request(
        order_id=order.pk,
        line_id=line.pk,
        actor=order.user,
        kind=CaseKind.RETURN_REFUND,
        quantity=1,
        reason="damaged",
        photos=[upload("a.png", png_bytes())],
    )
    other_worker = UserFactory()
    product_with_stock().producer.partner.users.add(other_worker)
    return {
        "order": order,
        "line": line,
        "case": case,
        "producer": producer,
        "worker": worker,
        "other_worker": other_worker,
        "photo": case.photos.get(),
    }


def urls(world):
    order, case = world["order"], world["case"]
    return {
        "aftersales:order-cancel": reverse("aftersales:order-cancel", args=[order.number]),
        "aftersales:request": reverse("aftersales:request", args=[order.number, world["line"].pk]),
        "aftersales:case": reverse("aftersales:case", args=[case.pk]),
        "aftersales:case-act": reverse("aftersales:case-act", args=[case.pk]),
        "aftersales:case-photo": reverse(
            "aftersales:case-photo", args=[case.pk, world["photo"].pk]
        ),
        "aftersales:workspace-cases": reverse(
            "aftersales:workspace-cases", args=[world["producer"].pk]
        ),
        "aftersales:workspace-case": reverse(
            "aftersales:workspace-case", args=[world["producer"].pk, case.pk]
        ),
        "aftersales:staff-cases": reverse("aftersales:staff-cases"),
        "aftersales:staff-order-cancel": reverse(
            "aftersales:staff-order-cancel", args=[order.number]
        ),
        "aftersales:staff-case": reverse("aftersales:staff-case", args=[case.pk]),
    }


def test_every_aftersales_url_is_in_the_matrix(world):
    names = {
        f"aftersales:{name}"
        for name in get_resolver().namespace_dict["aftersales"][1].reverse_dict
        if isinstance(name, str)
    }
    assert names == set(urls(world))


@pytest.mark.parametrize("who", ["anonymous", "other_buyer", "other_producer"])
def test_no_one_else_gets_at_a_case(client, world, who):
    if who == "other_buyer":
        client.force_login(UserFactory())
    elif who == "other_producer":
        client.force_login(world["other_worker"])
    for name, url in urls(world).items():
        get = client.get(url)
        post = client.post(url, {"action": "withdraw", "reason": "x", "quantity": 1})
        if who == "anonymous":
            assert get.status_code == 302 and "/login" in get["Location"], name
            assert post.status_code == 302 and "/login" in post["Location"], name
        else:
            assert get.status_code in (403, 404, 405), name
            assert post.status_code in (403, 404), name
    case = world["case"]
    case.refresh_from_db()
    assert case.status == CaseStatus.REQUESTED
    world["order"].refresh_from_db()
    assert world["order"].status == settings.ORDER_STATUS_SHIPPED


def test_the_buyer_asks_from_the_order_page_and_follows_the_case(client, world):
    order = world["order"]
    client.force_login(order.user)

    page = client.get(reverse("customer:order", args=[order.number]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "mkt-aftersales-cases" in text
    assert "order-cancel" not in text  # shipped: no cancel button

    case_page = client.get(reverse("aftersales:case", args=[world["case"].pk]))
    assert case_page.status_code == 200
    assert "待卖家处理" in case_page.content.decode()
    photo = client.get(urls(world)["aftersales:case-photo"])
    assert photo.status_code == 200


def test_the_request_form_refuses_too_many_units_with_a_message(client, world):
    order = world["order"]
    client.force_login(order.user)

    response = client.post(
        urls(world)["aftersales:request"],
        {"kind": "refund_only", "quantity": 5, "reason": "quality"},
    )

    assert response.status_code == 200
    assert order.aftersales_cases.count() == 1


def test_the_request_form_makes_a_case(client, world):
    order = world["order"]
    client.force_login(order.user)

    response = client.post(
        urls(world)["aftersales:request"],
        {
            "kind": "refund_only",
            "quantity": 1,
            "reason": "quality",
            "description": "有异味",
            "photos": [upload("b.png", png_bytes())],
        },
    )

    case = order.aftersales_cases.order_by("-pk").first()
    assert response.status_code == 302 and response["Location"] == reverse(
        "aftersales:case", args=[case.pk]
    )
    assert (case.kind, case.quantity, case.photos.count()) == ("refund_only", 1, 1)


def test_the_buyer_cancels_a_paid_order_from_the_order_page(client):
    order = bank_order_paid(product_with_stock(price=Decimal("20.00")))
    client.force_login(order.user)
    assert (
        "order-cancel"
        in client.get(reverse("customer:order", args=[order.number])).content.decode()
    )

    response = client.post(
        reverse("aftersales:order-cancel", args=[order.number]), {"reason": "不要了"}
    )

    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_CANCELLED
    case = order.aftersales_cases.get()
    assert response["Location"] == reverse("aftersales:case", args=[case.pk])


def test_the_producer_lists_cases_with_overdue_highlighted_and_accepts(
    client, world, django_assert_max_num_queries
):
    case = world["case"]
    type(case).objects.filter(pk=case.pk).update(respond_by=case.created_at)
    client.force_login(world["worker"])

    with django_assert_max_num_queries(20):
        listing = client.get(urls(world)["aftersales:workspace-cases"])
    assert "mkt-overdue" in listing.content.decode()

    response = client.post(urls(world)["aftersales:workspace-case"], {"action": "accept"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


def test_staff_arbitrate_from_the_dashboard(client, world):
    case = world["case"]
    services.case_reject(case_id=case.pk, actor=world["worker"], reason="已检查无问题")
    services.case_dispute(case_id=case.pk, actor=world["order"].user, reason="确有破损")
    client.force_login(StaffUserFactory())

    queue = client.get(urls(world)["aftersales:staff-cases"])
    assert f"#{case.pk}" in queue.content.decode()
    client.post(urls(world)["aftersales:staff-case"], {"action": "decline", "reason": ""})
    case.refresh_from_db()
    assert case.status == CaseStatus.ESCALATED  # a decline without a reason changes nothing

    client.post(urls(world)["aftersales:staff-case"], {"action": "approve"})

    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED  # a return: waits for the goods


def test_staff_cancel_a_paid_order_from_the_dashboard_order_page(client):
    order = bank_order_paid(product_with_stock(price=Decimal("20.00")))
    client.force_login(StaffUserFactory())
    detail = reverse("dashboard:order-detail", args=[order.number])
    assert "staff-order-cancel" in client.get(detail).content.decode()

    response = client.post(
        reverse("aftersales:staff-order-cancel", args=[order.number]), {"reason": "缺货"}
    )

    assert response["Location"] == detail
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_CANCELLED
    case = order.aftersales_cases.get()
    assert (case.amount, case.bank_refund.amount) == (Decimal("40.00"), Decimal("40.00"))
    page = client.get(detail).content.decode()
    assert "售后退款" in page and "staff-order-cancel" not in page
