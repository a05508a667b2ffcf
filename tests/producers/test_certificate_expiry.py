"""Certificates that lapse: reported ahead of time, shown as expired, out of the certified filter."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from producers.models import Certificate
from producers.services import certificates_expiry_report
from search.documents import build_documents
from tests.factories import ProducerFactory, StaffUserFactory, UserFactory, product_with_stock

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)


def certificate(producer, *, until, number, products=()):
    cert = Certificate.objects.create(
        producer=producer,
        kind=Certificate.Kind.GREEN_FOOD,
        number=number,
        issuer="中国绿色食品发展中心",
        valid_from=datetime.date(2023, 1, 1),
        valid_until=until,
    )
    cert.products.set(products)
    return cert


def test_report_emails_each_producer_its_own_expiring_certificates_and_staff_all():
    staff = StaffUserFactory(email="ops@example.com")
    first, second = ProducerFactory(), ProducerFactory()
    first_user, second_user = UserFactory(), UserFactory()
    first.partner.users.add(first_user)
    second.partner.users.add(second_user)
    certificate(first, until=TODAY + datetime.timedelta(days=10), number="A-SOON")
    certificate(first, until=TODAY + datetime.timedelta(days=30), number="A-EDGE")
    certificate(first, until=TODAY + datetime.timedelta(days=31), number="A-LATER")
    certificate(first, until=TODAY - datetime.timedelta(days=1), number="A-GONE")
    certificate(second, until=TODAY + datetime.timedelta(days=5), number="B-SOON")

    report = certificates_expiry_report(day=TODAY, within_days=30)

    assert (report.certificates, report.producers, report.emails) == (3, 2, 3)
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    first_mail = by_recipient[(first_user.email,)].body
    assert "A-SOON" in first_mail and "A-EDGE" in first_mail
    assert "A-LATER" not in first_mail and "A-GONE" not in first_mail
    assert "B-SOON" not in first_mail
    assert "B-SOON" in by_recipient[(second_user.email,)].body
    staff_mail = by_recipient[(staff.email,)]
    assert "证书到期提醒" in staff_mail.subject
    assert all(n in staff_mail.body for n in ("A-SOON", "A-EDGE", "B-SOON"))


def test_report_with_nothing_expiring_sends_nothing():
    StaffUserFactory(email="ops@example.com")
    certificate(ProducerFactory(), until=TODAY + datetime.timedelta(days=90), number="FAR")
    report = certificates_expiry_report(day=TODAY, within_days=30)
    assert report.emails == 0
    assert mail.outbox == []


def test_command_prints_what_it_sent(capsys):
    producer = ProducerFactory()
    producer.partner.users.add(UserFactory())
    certificate(producer, until=datetime.date.today() + datetime.timedelta(days=3), number="C-1")
    call_command("producers_report_expiring_certificates")
    assert "1 certificates of 1 producers expire within 30 days; 1 emails sent" in (
        capsys.readouterr().out
    )


def test_expired_certificate_drops_the_product_from_the_certified_filter():
    product = product_with_stock()
    certificate(
        product.producer, until=TODAY - datetime.timedelta(days=1), number="OLD", products=[product]
    )
    [document] = build_documents([product.pk], today=TODAY)
    assert document.certificate_kinds == []
    [document] = build_documents([product.pk], today=TODAY - datetime.timedelta(days=2))
    assert document.certificate_kinds == [Certificate.Kind.GREEN_FOOD]


def test_product_page_shows_an_expired_certificate_as_expired(client):
    product = product_with_stock()
    certificate(
        product.producer,
        until=datetime.date.today() - datetime.timedelta(days=1),
        number="LB-EXPIRED-1",
        products=[product],
    )
    certificate(
        product.producer,
        until=datetime.date.today() + datetime.timedelta(days=100),
        number="LB-VALID-2",
        products=[product],
    )
    page = client.get(product.get_absolute_url()).content.decode()
    assert "LB-EXPIRED-1" in page and "过期" in page
    assert "LB-VALID-2" in page and "有效期至" in page
