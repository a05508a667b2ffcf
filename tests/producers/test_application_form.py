import pytest
from django.urls import reverse

from common.uploads import MAX_DOCUMENT_BYTES
from producers.models import ApplicationDecision, ProducerApplication
from tests.factories import UserFactory, valid_uscc
from tests.factories.files import (
    MINIMAL_PDF,
    bomb_png_bytes,
    jpeg_bytes,
    png_bytes,
    stored_files,
    upload,
)
from tests.factories.producers import ProducerApplicationFactory, application_post_data

pytestmark = pytest.mark.django_db

APPLY = reverse("producers:apply")


@pytest.fixture
def applicant(client):
    user = UserFactory()
    client.force_login(user)
    return user


def post_invalid(client, private_root, **overrides):
    """Post the form; assert it was refused and left neither a row nor a file."""
    response = client.post(APPLY, application_post_data(**overrides))
    assert response.status_code == 200
    assert not ProducerApplication.objects.exists()
    assert stored_files(private_root) == []
    return response.context["form"].errors


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(APPLY)
    assert response.status_code == 302
    assert response.url.startswith(reverse("customer:login"))


def test_apply_page_is_chinese_and_loads_region_selects(client, applicant):
    response = client.get(APPLY)
    content = response.content.decode()
    assert "申请入驻" in content
    assert "region-select.js" in content
    assert 'name="province"' in content and 'name="county"' in content


def test_valid_application_is_submitted_with_server_named_documents(
    client, applicant, private_root
):
    response = client.post(APPLY, application_post_data())
    assert response.status_code == 302, response.context["form"].errors
    application = ProducerApplication.objects.get()
    assert application.applicant == applicant
    assert application.status == ProducerApplication.Status.SUBMITTED
    assert application.contact_mobile == "13800138000"
    assert application.bank_account_number == "6228480123456789012"
    assert application.business_licence.name.endswith(".png")
    assert application.food_licence_file.name.endswith(".pdf")
    for name in (application.business_licence.name, application.food_licence_file.name):
        assert "营业执照" not in name and "许可证" not in name
        assert name.startswith("producer-applications/")
    assert len(stored_files(private_root)) == 2
    assert list(application.decisions.values_list("action", flat=True)) == [
        ApplicationDecision.Action.SUBMIT
    ]


def test_jpeg_licence_named_pdf_is_stored_as_jpeg(client, applicant):
    data = application_post_data(
        sells_food="",
        food_licence_number="",
        food_licence_file=None,
        business_licence=upload("scan.pdf", jpeg_bytes(), "application/pdf"),
    )
    response = client.post(APPLY, data)
    assert response.status_code == 302
    assert ProducerApplication.objects.get().business_licence.name.endswith(".jpg")


def test_text_named_png_is_refused(client, applicant, private_root):
    errors = post_invalid(
        client,
        private_root,
        business_licence=upload("licence.png", b"just some text, not a picture"),
    )
    assert "仅支持 JPEG、PNG 图片或 PDF 文件。" in errors["business_licence"]


def test_corrupt_png_is_refused(client, applicant, private_root):
    broken = png_bytes(200, 200)
    broken = broken[:60] + bytes(b ^ 0xFF for b in broken[60:120]) + broken[120:]
    errors = post_invalid(client, private_root, business_licence=upload("licence.png", broken))
    assert "图片文件已损坏" in errors["business_licence"][0]


def test_truncated_pdf_is_refused(client, applicant, private_root):
    errors = post_invalid(
        client,
        private_root,
        food_licence_file=upload("licence.pdf", MINIMAL_PDF[:-20], "application/pdf"),
    )
    assert "PDF 文件不完整" in errors["food_licence_file"][0]


def test_oversized_file_is_refused(client, applicant, private_root):
    big = MINIMAL_PDF[:9] + b"0" * MAX_DOCUMENT_BYTES + MINIMAL_PDF[9:]
    errors = post_invalid(
        client, private_root, business_licence=upload("licence.pdf", big, "application/pdf")
    )
    assert "文件不能超过 10 MB。" in errors["business_licence"]


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (10_000, 5_000),  # 50 million pixels: over our limit, under Pillow's own
        (10_000, 10_000),  # 100 million: Pillow warns, and the warning must stop us too
        (20_000, 20_000),  # 400 million: Pillow itself raises DecompressionBombError
    ],
)
def test_decompression_bomb_is_a_form_error(client, applicant, private_root, width, height):
    bomb = bomb_png_bytes(width, height)
    assert len(bomb) < 200_000
    errors = post_invalid(client, private_root, business_licence=upload("licence.png", bomb))
    assert "图片像素过大" in errors["business_licence"][0]


def test_wrong_uscc_check_character_is_refused(client, applicant, private_root):
    good = valid_uscc(7)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    errors = post_invalid(client, private_root, uscc=bad)
    assert "统一社会信用代码校验位不正确，请核对后重新输入。" in errors["uscc"]


@pytest.mark.parametrize("number", ["SC1066110260001", "XK10661102600012", "SC1066110260001A"])
def test_bad_food_production_licence_number_is_refused(client, applicant, private_root, number):
    errors = post_invalid(client, private_root, food_licence_number=number)
    assert "食品生产许可证编号应为" in errors["food_licence_number"][0]


def test_food_seller_needs_licence_number_and_document(client, applicant, private_root):
    errors = post_invalid(client, private_root, food_licence_number="", food_licence_file=None)
    assert "销售食品的主体须填写食品生产许可证编号。" in errors["food_licence_number"]
    assert "销售食品的主体须上传食品生产许可证。" in errors["food_licence_file"]


def test_business_licence_is_required(client, applicant, private_root):
    errors = post_invalid(client, private_root, business_licence=None)
    assert errors["business_licence"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_mobile", "12345"),
        ("bank_account_number", "12345"),
        ("bank_account_number", "62284801234567890123456789012345"),
    ],
)
def test_bad_mobile_or_bank_account_is_refused(client, applicant, private_root, field, value):
    errors = post_invalid(client, private_root, **{field: value})
    assert errors[field]


def test_uscc_of_an_open_application_is_refused(client, applicant, private_root):
    other = ProducerApplicationFactory()
    before = stored_files(private_root)
    response = client.post(APPLY, application_post_data(uscc=other.uscc.lower()))
    assert "该统一社会信用代码已有入驻申请或已入驻" in response.context["form"].errors["uscc"][0]
    assert ProducerApplication.objects.count() == 1
    assert stored_files(private_root) == before


def test_uscc_of_an_existing_producer_is_refused(client, applicant, private_root):
    from tests.factories import ProducerFactory

    producer = ProducerFactory()
    errors = post_invalid(client, private_root, uscc=producer.uscc)
    assert "该统一社会信用代码已有入驻申请或已入驻" in errors["uscc"][0]


def test_county_must_belong_to_chosen_province(client, applicant, private_root):
    from tests.factories import county

    ziyang = county("610924")
    errors = post_invalid(client, private_root, county=ziyang.pk)
    assert errors["county"]


def test_licence_number_is_ignored_when_not_selling_food(client, applicant):
    data = application_post_data(sells_food="", food_licence_number="SC123", food_licence_file=None)
    response = client.post(APPLY, data)
    assert response.status_code == 302, response.context["form"].errors
    application = ProducerApplication.objects.get()
    assert (application.sells_food, application.food_licence_number) == (False, "")
    assert not application.food_licence_file
