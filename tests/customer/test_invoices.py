"""Invoices (发票): the buyer of a paid order asks each producer in it once,
the producer records the invoice issued with its number, date and PDF, and only
the buyer, that producer's users and staff can read the PDF."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from customer.services import invoice_request_create
from producers.exceptions import InvoiceError, ProducerError
from producers.models import InvoiceRequest
from producers.services import invoice_issue
from tests.factories import (
    StaffUserFactory,
    UserFactory,
    place_order,
    product_with_stock,
    valid_uscc,
)
from tests.factories.files import MINIMAL_PDF, png_bytes, stored_files, upload
from tests.factories.producers import producer_with_user
from tests.support.orders import paid_order

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
COMPANY_TAX_NUMBER = valid_uscc(4242)


@pytest.fixture
def buyer():
    return UserFactory(email="buyer@example.com")


@pytest.fixture
def sellers():
    """Two producers, each with a user, and an order of the buyer's holding both."""
    first, first_user = producer_with_user()
    second, second_user = producer_with_user()
    first_user.email, second_user.email = "first@example.com", "second@example.com"
    first_user.save(), second_user.save()
    return (first, first_user), (second, second_user)


@pytest.fixture
def order(buyer, sellers):
    (first, _), (second, _) = sellers
    return paid_order(
        buyer,
        product_with_stock(producer=first, price=Decimal("30.00")),
        product_with_stock(producer=second, price=Decimal("12.50")),
    )


def request_url(order, producer):
    return reverse(
        "customer:order-invoice-request",
        kwargs={"order_number": order.number, "producer_pk": producer.pk},
    )


def order_url(order):
    return reverse("customer:order", kwargs={"order_number": order.number})


def company(**overrides):
    data = {
        "title_kind": "company",
        "title": "商南县第一中学",
        "tax_number": COMPANY_TAX_NUMBER.lower(),
        "email": "caiwu@example.com",
    }
    data.update(overrides)
    return data


def request_invoice(order, producer, buyer, **overrides):
    return invoice_request_create(
        order_id=order.pk, producer_id=producer.pk, actor=buyer, **company(**overrides)
    )


def issue(invoice, producer, user, **overrides):
    kwargs = {
        "invoice_number": "25612000000012345678",
        "issued_on": TODAY(),
        "pdf": upload("发票.pdf", MINIMAL_PDF, "application/pdf"),
    }
    kwargs.update(overrides)
    return invoice_issue(producer=producer, invoice_id=invoice.pk, actor=user, **kwargs)


# --- the buyer's request ----------------------------------------------------------------


def test_buyer_requests_an_invoice_from_each_producer_of_a_paid_order_once(
    client, buyer, sellers, order, django_capture_on_commit_callbacks
):
    (first, _), (second, _) = sellers
    client.force_login(buyer)
    page = client.get(order_url(order)).content.decode()
    assert request_url(order, first) in page and request_url(order, second) in page

    assert client.get(request_url(order, first)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(request_url(order, first), company(), follow=True)
    assert "发票申请已提交" in response.content.decode()
    invoice = InvoiceRequest.objects.get()
    assert (invoice.producer, invoice.title_kind, invoice.tax_number, invoice.amount) == (
        first,
        "company",
        COMPANY_TAX_NUMBER,
        Decimal("60.00"),
    )
    assert invoice.status == "requested" and invoice.requested_by == buyer
    # The producer's users hear of it, with a link to the request.
    assert [m.to for m in mail.outbox] == [["first@example.com"]]
    assert (
        reverse("producers:workspace-invoice", args=[first.pk, invoice.pk]) in mail.outbox[0].body
    )

    # A second submission asks nothing twice.
    client.post(request_url(order, first), company())
    assert InvoiceRequest.objects.count() == 1
    with pytest.raises(InvoiceError) as again:
        request_invoice(order, first, buyer)
    assert again.value.code == "invoice_already_requested"

    # The other producer's lines are invoiced by the other producer.
    client.post(request_url(order, second), company(title_kind="personal", title="张三"))
    personal = InvoiceRequest.objects.get(producer=second)
    assert (personal.title_kind, personal.tax_number, personal.amount) == (
        "personal",
        "",
        Decimal("25.00"),
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"tax_number": ""}, "tax_number"),
        ({"tax_number": COMPANY_TAX_NUMBER[:-1] + "0"}, "tax_number"),
        ({"tax_number": "12345"}, "tax_number"),
        ({"title": "   "}, "title"),
        ({"email": "not-an-address"}, "email"),
        ({"title_kind": "government"}, "title_kind"),
    ],
)
def test_a_bad_title_is_a_form_error_and_stores_nothing(
    client, buyer, sellers, order, overrides, field
):
    (first, _), _second = sellers
    client.force_login(buyer)
    response = client.post(request_url(order, first), company(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not InvoiceRequest.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"tax_number": ""}, "invoice_tax_number_invalid"),
        ({"tax_number": COMPANY_TAX_NUMBER[:-1] + "0"}, "invoice_tax_number_invalid"),
        ({"title": ""}, "invoice_title_required"),
        ({"title": "单" * 101}, "invoice_title_required"),
        ({"email": "x@"}, "invoice_email_invalid"),
        ({"title_kind": "x"}, "invoice_title_kind_invalid"),
    ],
)
def test_the_service_checks_the_title_again(buyer, sellers, order, overrides, code):
    (first, _), _second = sellers
    with pytest.raises(InvoiceError) as refused:
        request_invoice(order, first, buyer, **overrides)
    assert refused.value.code == code
    assert not InvoiceRequest.objects.exists()


def test_an_unpaid_order_cannot_be_invoiced(client, buyer, sellers):
    (first, _), _second = sellers
    order = place_order(product_with_stock(producer=first), number="U1")
    order.user = buyer
    order.save(update_fields=["user"])
    with pytest.raises(InvoiceError) as refused:
        request_invoice(order, first, buyer)
    assert refused.value.code == "invoice_order_not_paid"

    client.force_login(buyer)
    assert request_url(order, first) not in client.get(order_url(order)).content.decode()
    response = client.post(request_url(order, first), company(), follow=True)
    assert "付款后才能申请发票" in response.content.decode()
    assert not InvoiceRequest.objects.exists()


def test_only_the_buyer_asks_and_only_producers_in_the_order(client, buyer, sellers, order):
    (first, _), _second = sellers
    outsider, _user = producer_with_user()
    client.force_login(buyer)
    assert client.post(request_url(order, outsider), company()).status_code == 404
    with pytest.raises(InvoiceError) as refused:
        request_invoice(order, outsider, buyer)
    assert refused.value.code == "invoice_producer_not_in_order"

    client.force_login(UserFactory())
    assert client.post(request_url(order, first), company()).status_code == 404
    client.logout()
    assert client.post(request_url(order, first), company()).status_code == 302
    assert not InvoiceRequest.objects.exists()


# --- the producer records it issued -----------------------------------------------------


def workspace_invoice_url(producer, invoice):
    return reverse("producers:workspace-invoice", args=[producer.pk, invoice.pk])


def test_producer_records_the_invoice_and_the_buyer_downloads_it(
    client, buyer, sellers, order, private_root, django_capture_on_commit_callbacks
):
    (first, first_user), _second = sellers
    invoice = request_invoice(order, first, buyer)
    client.force_login(first_user)
    listing = client.get(reverse("producers:workspace-invoices", args=[first.pk]))
    assert workspace_invoice_url(first, invoice) in listing.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            workspace_invoice_url(first, invoice),
            {
                "invoice_number": "2561 2000 0000 1234 5678",
                "issued_on": TODAY().isoformat(),
                "pdf": upload("发票.pdf", MINIMAL_PDF, "application/pdf"),
            },
        )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.status, invoice.invoice_number, invoice.issued_on, invoice.issued_by) == (
        "issued",
        "25612000000012345678",
        TODAY(),
        first_user,
    )
    assert invoice.pdf.name.startswith("invoices/") and invoice.pdf.name.endswith(".pdf")
    assert [m.to for m in mail.outbox] == [["caiwu@example.com"]]
    assert order_url(order) in mail.outbox[0].body

    client.force_login(buyer)
    page = client.get(order_url(order)).content.decode()
    pdf_url = reverse("producers:invoice-pdf", args=[invoice.pk])
    assert pdf_url in page and "25612000000012345678" in page
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == MINIMAL_PDF

    with pytest.raises(InvoiceError) as again:
        issue(invoice, first, first_user, invoice_number="99999999")
    assert again.value.code == "invoice_already_issued"
    invoice.refresh_from_db()
    assert invoice.invoice_number == "25612000000012345678"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"pdf": upload("发票.pdf", png_bytes(), "application/pdf")}, "invoice_pdf_invalid"),
        ({"pdf": upload("发票.pdf", MINIMAL_PDF[:40], "application/pdf")}, "invoice_pdf_invalid"),
        ({"pdf": upload("发票.pdf", b"", "application/pdf")}, "invoice_pdf_invalid"),
        (
            {"pdf": upload("发票.pdf", MINIMAL_PDF + b" " * (5 * 1024 * 1024), "application/pdf")},
            "invoice_pdf_invalid",
        ),
        ({"invoice_number": "12"}, "invoice_number_invalid"),
        ({"invoice_number": "<script>"}, "invoice_number_invalid"),
        ({"issued_on": TODAY() + datetime.timedelta(days=1)}, "invoice_date_invalid"),
        ({"issued_on": TODAY() - datetime.timedelta(days=400)}, "invoice_date_invalid"),
    ],
)
def test_a_bad_invoice_is_refused_and_stores_nothing(
    buyer, sellers, order, private_root, overrides, code
):
    (first, first_user), _second = sellers
    invoice = request_invoice(order, first, buyer)
    with pytest.raises(InvoiceError) as refused:
        issue(invoice, first, first_user, **overrides)
    assert refused.value.code == code
    invoice.refresh_from_db()
    assert invoice.status == "requested" and not invoice.pdf
    assert stored_files(private_root) == []


def test_a_picture_in_place_of_the_pdf_is_a_form_error(client, buyer, sellers, order, private_root):
    (first, first_user), _second = sellers
    invoice = request_invoice(order, first, buyer)
    client.force_login(first_user)
    response = client.post(
        workspace_invoice_url(first, invoice),
        {
            "invoice_number": "25612000000012345678",
            "issued_on": TODAY().isoformat(),
            "pdf": upload("发票.png", png_bytes()),
        },
    )
    assert response.status_code == 200
    assert "仅支持 PDF 文件" in str(response.context["form"].errors["pdf"])
    assert stored_files(private_root) == []


def test_another_producer_neither_sees_nor_issues_the_request(client, buyer, sellers, order):
    (first, _), (second, second_user) = sellers
    invoice = request_invoice(order, first, buyer)
    client.force_login(second_user)
    assert client.get(workspace_invoice_url(second, invoice)).status_code == 404
    assert client.get(workspace_invoice_url(first, invoice)).status_code == 404
    listing = client.get(reverse("producers:workspace-invoices", args=[second.pk]))
    assert order.number not in listing.content.decode()
    with pytest.raises(ProducerError) as refused:
        issue(invoice, first, second_user)
    assert refused.value.code == "producer_permission_denied"


# --- who reads the PDF -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("buyer", 200),
        ("producer", 200),
        ("staff", 200),
        ("other_buyer", 404),
        ("other_producer", 404),
        ("anonymous", 302),
    ],
)
def test_invoice_pdf_access_matrix(client, buyer, sellers, order, private_root, who, status):
    (first, first_user), (_second, second_user) = sellers
    invoice = issue(request_invoice(order, first, buyer), first, first_user)
    users = {
        "buyer": buyer,
        "producer": first_user,
        "staff": StaffUserFactory(),
        "other_buyer": UserFactory(),
        "other_producer": second_user,
    }
    if who in users:
        client.force_login(users[who])
    response = client.get(reverse("producers:invoice-pdf", args=[invoice.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Security-Policy"] == "sandbox"
    if who == "anonymous":
        assert response["Location"].startswith(reverse("customer:login"))


def test_a_requested_invoice_has_no_pdf_to_read(client, buyer, sellers, order):
    (first, _), _second = sellers
    invoice = request_invoice(order, first, buyer)
    client.force_login(buyer)
    assert client.get(reverse("producers:invoice-pdf", args=[invoice.pk])).status_code == 404


def test_order_page_queries_do_not_grow_with_invoices(
    client, buyer, sellers, order, private_root, django_assert_max_num_queries
):
    (first, first_user), (second, _) = sellers
    client.force_login(buyer)
    with django_assert_max_num_queries(45):
        client.get(order_url(order))
    issue(request_invoice(order, first, buyer), first, first_user)
    request_invoice(order, second, buyer)
    with django_assert_max_num_queries(45):
        page = client.get(order_url(order)).content.decode()
    assert "待开票" in page and "已开票" in page
