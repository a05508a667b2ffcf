"""Invoice scans, off-platform evidence and helped-sale evidence pass the same
content checks as producers' licences: judged by their bytes, stored privately
under a name the server chose; anything a browser could run is refused with a
clear message, and nothing is stored."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from common.uploads import document_check
from procurement import services
from procurement.forms import HelpedSaleForm, InvoiceForm, OffPlatformForm
from procurement.models import ContractStatus, HelpedSale, Invoice, OffPlatformPurchase
from tests.factories import MINIMAL_PDF, jpeg_bytes, product_with_stock, stored_files, upload
from tests.factories.procurement import Team, contract_in_state, producer_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SCRIPT = b"<script>alert(document.cookie)</script>"
HOSTILE = {
    "html": ("invoice.pdf", b"<!DOCTYPE html><html><body>" + SCRIPT + b"</body></html>"),
    "svg": (
        "scan.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
    ),
    "html_then_pdf": ("scan.pdf", b"<html>" + SCRIPT + b"</html>\n" + MINIMAL_PDF),
    "pdf_carrying_html": (
        "scan.pdf",
        MINIMAL_PDF.replace(b"xref\n", b"<html><body>" + SCRIPT + b"</body></html>\nxref\n", 1),
    ),
    "exe": ("scan.pdf", b"MZ\x90\x00\x03" + bytes(58) + b"This program cannot be run in DOS mode"),
}
EXPECTED_CODE = {
    "html": "unsupported_type",
    "svg": "unsupported_type",
    "html_then_pdf": "unsupported_type",
    "pdf_carrying_html": "active_content",
    "exe": "unsupported_type",
}


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def hostile(kind):
    name, content = HOSTILE[kind]
    return upload(name, content, "application/pdf")


@pytest.mark.parametrize("kind", HOSTILE)
def test_document_check_refuses_what_a_browser_could_run(kind):
    with pytest.raises(ValidationError) as excinfo:
        document_check(hostile(kind))
    assert excinfo.value.code == EXPECTED_CODE[kind]


def test_a_pdf_must_declare_a_version_and_hold_objects():
    for content in (
        b"%PDF-\nstartxref\n0\n%%EOF\n",
        b"%PDF-1.4\ntrailer<<>>\nstartxref\n0\n%%EOF\n",
    ):
        with pytest.raises(ValidationError) as excinfo:
            document_check(upload("x.pdf", content, "application/pdf"))
        assert excinfo.value.code == "corrupt"
    assert document_check(upload("x.pdf", MINIMAL_PDF, "application/pdf")).format == "PDF"


def _form_error_code(form, field):
    assert not form.is_valid()
    return form.errors.as_data()[field][0].code


@pytest.mark.parametrize("kind", HOSTILE)
def test_the_forms_refuse_hostile_files_with_the_checks_code(kind):
    invoice = InvoiceForm(
        {"number": "FP-1", "issued_on": TODAY, "amount": "10"}, {"scan": hostile(kind)}
    )
    helped = HelpedSaleForm(
        {
            "buyer_name": "某工会",
            "producer": product_with_stock().producer.pk,
            "amount": "10",
            "sold_on": TODAY,
        },
        {"evidence": hostile(kind)},
    )
    off_platform = OffPlatformForm(
        {"channel": "direct", "supplier_name": "x", "category": "x", "amount": "1"},
        {"evidence": hostile(kind)},
    )
    assert _form_error_code(invoice, "scan") == EXPECTED_CODE[kind]
    assert _form_error_code(helped, "evidence") == EXPECTED_CODE[kind]
    assert _form_error_code(off_platform, "evidence") == EXPECTED_CODE[kind]


@pytest.mark.parametrize("kind", HOSTILE)
def test_the_services_refuse_hostile_files_and_store_nothing(kind, media_root, private_root):
    product = product_with_stock(stock=50)
    team, seller = Team(kind="soe"), producer_user(product.producer)
    contract = contract_in_state(team, product, 2, ContractStatus.ACCEPTED, seller=seller)
    calls = [
        lambda: services.invoice_record(
            contract=contract,
            actor=seller,
            number="FP-1",
            issued_on=TODAY,
            amount=contract.payable_amount,
            scan=hostile(kind),
        ),
        lambda: services.off_platform_purchase_record(
            organisation=team.organisation,
            actor=team.purchaser,
            channel="direct",
            supplier_name="x",
            origin_county=product.producer.county,
            amount=10,
            purchased_on=TODAY,
            category="x",
            evidence=hostile(kind),
        ),
        lambda: services.helped_sale_record(
            organisation=team.organisation,
            actor=team.purchaser,
            buyer_name="某工会",
            producer=product.producer,
            amount=10,
            sold_on=TODAY,
            evidence=hostile(kind),
        ),
    ]
    for call in calls:
        with pytest.raises(ValidationError) as excinfo:
            call()
        assert excinfo.value.code == EXPECTED_CODE[kind]
    assert not Invoice.objects.exists()
    assert not OffPlatformPurchase.objects.exists()
    assert not HelpedSale.objects.exists()
    assert stored_files(private_root) == [] and stored_files(media_root) == []


def test_an_html_page_posted_as_evidence_is_a_chinese_form_error(client, media_root, private_root):
    team = Team()
    county = product_with_stock().producer.county
    client.force_login(team.purchaser)
    response = client.post(
        reverse("procurement:off-platform", args=[team.organisation.pk]),
        {
            "channel": "direct",
            "supplier_name": "紫阳县茶叶合作社",
            "province": county.parent.parent.pk,
            "city": county.parent.pk,
            "county": county.pk,
            "category": "茶叶",
            "amount": "100",
            "purchased_on": TODAY.isoformat(),
            "evidence": hostile("html"),
        },
    )
    assert response.status_code == 200
    assert "仅支持 JPEG、PNG 图片或 PDF 文件" in response.content.decode()
    assert not OffPlatformPurchase.objects.exists()
    assert stored_files(private_root) == [] and stored_files(media_root) == []


def test_a_jpeg_named_pdf_is_stored_privately_as_a_jpeg_under_a_server_name(
    client, media_root, private_root
):
    product = product_with_stock(stock=50)
    team, seller = Team(), producer_user(product.producer)
    contract = contract_in_state(team, product, 2, ContractStatus.ACCEPTED, seller=seller)
    invoice = services.invoice_record(
        contract=contract,
        actor=seller,
        number="FP-1",
        issued_on=TODAY,
        amount=contract.payable_amount,
        scan=upload("../../发票.pdf", jpeg_bytes(), "application/pdf"),
    )
    directory, random_dir, filename = invoice.scan.name.rsplit("/", 2)
    assert directory == "procurement/invoice"
    assert len(random_dir) == 32 and filename.endswith(".jpg") and "发票" not in filename
    assert (private_root / invoice.scan.name).is_file()
    assert stored_files(media_root) == []
    client.force_login(team.finance)
    response = client.get(reverse("procurement:invoice-scan", args=[contract.pk, invoice.pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == f'inline; filename="invoice-{invoice.pk}.jpg"'
