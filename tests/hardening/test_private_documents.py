"""Licences, certificate scans, invoices and purchase evidence are private.

They are stored outside MEDIA_ROOT (which runserver and the proxy serve to
anyone), have no URL of their own, and reach a browser only through views that
check who asks, sandboxed; the migration moves files stored before."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core import checks
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from django_sendfile.utils import _get_sendfile

from common.storage import private_storage
from procurement import services
from procurement.models import ContractStatus, OffPlatformPurchase
from producers.models import Certificate
from tests.factories import (
    MINIMAL_PDF,
    CountyReviewerFactory,
    ProducerApplicationFactory,
    StaffUserFactory,
    UserFactory,
    product_with_stock,
    stored_files,
    upload,
)
from tests.factories.procurement import Team, contract_in_state, evidence_file, producer_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def roots(media_root, private_root):
    return media_root, private_root


def _certificate(producer):
    return Certificate.objects.create(
        producer=producer,
        kind=Certificate.Kind.ORGANIC,
        number="ORG-1",
        issuer="认证机构",
        valid_from=datetime.date(2025, 1, 1),
        valid_until=datetime.date(2030, 1, 1),
        scan=upload("scan.pdf", MINIMAL_PDF, "application/pdf"),
    )


def _off_platform(team, product):
    return services.off_platform_purchase_record(
        organisation=team.organisation,
        actor=team.purchaser,
        channel="direct",
        supplier_name="柞水县木耳合作社",
        origin_county=product.producer.county,
        amount=100,
        purchased_on=timezone.localdate(),
        category="木耳",
        evidence=evidence_file(),
    )


def application_licence():
    application = ProducerApplicationFactory()
    url = reverse("producers:application-document", args=[application.pk, "business_licence"])
    allowed = [application.applicant, CountyReviewerFactory().user, StaffUserFactory()]
    return application.business_licence, url, allowed, [UserFactory()], "image/png"


def workspace_certificate_scan():
    product = product_with_stock()
    certificate = _certificate(product.producer)
    url = reverse(
        "producers:workspace-certificate-scan", args=[product.producer.pk, certificate.pk]
    )
    other = producer_user(product_with_stock().producer)
    return (
        certificate.scan,
        url,
        [producer_user(product.producer)],
        [other, UserFactory()],
        "application/pdf",
    )


def review_certificate_scan():
    product = product_with_stock()
    certificate = _certificate(product.producer)
    url = reverse("producers:certificate-scan", args=[certificate.pk])
    return (
        certificate.scan,
        url,
        [StaffUserFactory()],
        [producer_user(product.producer), UserFactory()],
        "application/pdf",
    )


def invoice_scan():
    product = product_with_stock(stock=50)
    team, seller = Team(), producer_user(product.producer)
    contract = contract_in_state(team, product, 2, ContractStatus.ACCEPTED, seller=seller)
    invoice = services.invoice_record(
        contract=contract,
        actor=seller,
        number="FP-1",
        issued_on=timezone.localdate(),
        amount=contract.payable_amount,
        scan=evidence_file(),
    )
    url = reverse("procurement:invoice-scan", args=[contract.pk, invoice.pk])
    outsiders = [Team().admin, producer_user(product_with_stock().producer)]
    return (
        invoice.scan,
        url,
        [seller, team.finance, StaffUserFactory()],
        outsiders,
        "application/pdf",
    )


def off_platform_evidence():
    team = Team()
    record = _off_platform(team, product_with_stock())
    url = reverse("procurement:off-platform-evidence", args=[record.pk])
    return (
        record.evidence,
        url,
        [team.purchaser, StaffUserFactory()],
        [Team().admin],
        "application/pdf",
    )


def review_evidence():
    team = Team()
    record = _off_platform(team, product_with_stock())
    url = reverse("procurement:review-evidence", args=[record.pk])
    return record.evidence, url, [StaffUserFactory()], [team.admin], "application/pdf"


def helped_sale_evidence():
    team = Team(kind="soe")
    sale = services.helped_sale_record(
        organisation=team.organisation,
        actor=team.purchaser,
        buyer_name="某工会",
        producer=product_with_stock().producer,
        amount=100,
        sold_on=timezone.localdate(),
        evidence=evidence_file(),
    )
    url = reverse("procurement:helped-sale-evidence", args=[sale.pk])
    return (
        sale.evidence,
        url,
        [team.purchaser, StaffUserFactory()],
        [Team(kind="soe").admin],
        "application/pdf",
    )


DOCUMENTS = [
    application_licence,
    workspace_certificate_scan,
    review_certificate_scan,
    invoice_scan,
    off_platform_evidence,
    review_evidence,
    helped_sale_evidence,
]


@pytest.mark.parametrize("build", DOCUMENTS, ids=lambda build: build.__name__)
def test_a_document_is_stored_privately_and_served_only_to_those_who_may_see_it(
    client, roots, build
):
    media_root, private_root = roots
    field, url, allowed, outsiders, content_type = build()

    assert (private_root / field.name).is_file()
    assert stored_files(media_root) == []
    with pytest.raises(ValueError):
        field.url  # noqa: B018 - the attribute access is what raises

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("customer:login"))
    for user in outsiders:
        client.force_login(user)
        assert client.get(url).status_code in (403, 404), user
    for user in allowed:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == content_type
        assert response["Content-Security-Policy"] == "sandbox"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("inline;")
        assert response.content == (private_root / field.name).read_bytes()


@pytest.mark.urls("tests.support.public_media_urls")
def test_a_licence_is_not_reachable_at_a_public_media_address(client, roots):
    application = ProducerApplicationFactory()
    response = client.get(settings.MEDIA_URL + application.business_licence.name)
    assert response.status_code == 404


def test_a_file_stored_before_the_checks_downloads_as_an_attachment_of_no_type(client, roots):
    team = Team()
    record = _off_platform(team, product_with_stock())
    # An HTML page uploaded before content checks existed, moved here by the migration.
    legacy = "procurement/offplatformpurchase/0123abcd/receipt.html"
    private_storage().save(legacy, ContentFile(b"<html><script>alert(1)</script></html>"))
    OffPlatformPurchase.objects.filter(pk=record.pk).update(evidence=legacy)
    client.force_login(team.purchaser)

    response = client.get(reverse("procurement:off-platform-evidence", args=[record.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == (
        f'attachment; filename="off-platform-{record.pk}.html"'
    )
    assert response["Content-Security-Policy"] == "sandbox"


def test_a_document_whose_file_is_missing_is_a_404(client, roots):
    application = ProducerApplicationFactory()
    private_storage().delete(application.business_licence.name)
    client.force_login(application.applicant)
    url = reverse("producers:application-document", args=[application.pk, "business_licence"])
    assert client.get(url).status_code == 404


@pytest.fixture
def nginx_sendfile(settings):
    settings.SENDFILE_BACKEND = "django_sendfile.backends.nginx"
    settings.SENDFILE_URL = "/private-media"
    _get_sendfile.cache_clear()
    yield
    _get_sendfile.cache_clear()


def test_behind_nginx_the_view_checks_and_the_proxy_sends_the_file(client, roots, nginx_sendfile):
    application = ProducerApplicationFactory()
    reviewer = CountyReviewerFactory().user
    client.force_login(reviewer)

    response = client.get(
        reverse("producers:application-document", args=[application.pk, "business_licence"])
    )

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/private-media/" + application.business_licence.name
    assert response.content == b""
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"] == "sandbox"
    client.force_login(UserFactory())
    assert (
        client.get(
            reverse("producers:application-document", args=[application.pk, "business_licence"])
        ).status_code
        == 404
    )


def test_admin_pages_link_documents_to_their_checked_views(client, roots):
    application = ProducerApplicationFactory()
    certificate = _certificate(product_with_stock().producer)
    record = _off_platform(Team(), product_with_stock())
    client.force_login(StaffUserFactory())
    pages = {
        reverse("admin:producers_producerapplication_change", args=[application.pk]): reverse(
            "producers:application-document", args=[application.pk, "business_licence"]
        ),
        reverse("admin:producers_certificate_change", args=[certificate.pk]): reverse(
            "producers:certificate-scan", args=[certificate.pk]
        ),
        reverse("admin:procurement_offplatformpurchase_change", args=[record.pk]): reverse(
            "procurement:review-evidence", args=[record.pk]
        ),
    }
    for page, document_url in pages.items():
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert document_url in html
        assert settings.MEDIA_URL not in html


def test_a_private_root_inside_the_public_media_root_fails_the_start_up_check(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "media" / "private")
    settings.SENDFILE_ROOT = settings.PRIVATE_MEDIA_ROOT
    assert "common.E001" in [message.id for message in checks.run_checks()]


MIGRATIONS = {
    "producers": "producers.migrations.0010_documents_in_private_storage",
    "procurement": "procurement.migrations.0009_documents_in_private_storage",
}


def _stored_before(app):
    """A document row as the migration finds it: its file in public media."""
    if app == "producers":
        application = ProducerApplicationFactory()
        return application, "business_licence"
    return _off_platform(Team(), product_with_stock()), "evidence"


@pytest.mark.parametrize("app", MIGRATIONS)
def test_the_migration_moves_existing_documents_out_of_public_media(roots, app):
    public, private = storages["default"], private_storage()
    row, field_name = _stored_before(app)
    name = getattr(row, field_name).name
    data = private.open(name).read()
    private.delete(name)
    public.save(name, ContentFile(data))
    lost, lost_field = _stored_before(app)
    private.delete(getattr(lost, lost_field).name)
    move_to_private = importlib.import_module(MIGRATIONS[app]).move_to_private

    move_to_private(django_apps, None)

    assert not public.exists(name)
    with private.open(name) as moved:
        assert moved.read() == data
    row.refresh_from_db()
    assert getattr(row, field_name).name == name
    # Again, as after an interrupted run: nothing moves twice, nothing breaks.
    move_to_private(django_apps, None)
    with private.open(name) as moved:
        assert moved.read() == data
    assert stored_files(roots[0]) == []
