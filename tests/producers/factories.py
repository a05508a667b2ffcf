"""Factories and file builders for producer onboarding tests."""

import io
import struct
import zlib

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory
from PIL import Image

from producers.models import ApplicationDecision, CountyReviewer, Producer, ProducerApplication
from tests.factories import DEFAULT_COUNTY_CODE, ProducerFactory, UserFactory, county, valid_uscc

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"trailer<</Size 3/Root 1 0 R>>\nstartxref\n97\n%%EOF\n"
)


def producer_with_user():
    """A producer and a user who works for it (listed on its Oscar partner)."""
    producer, user = ProducerFactory(), UserFactory()
    producer.partner.users.add(user)
    return producer, user


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "green").save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(buffer, format="JPEG")
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png_bytes(width: int, height: int) -> bytes:
    """A real, valid 1-bit black PNG: a few kilobytes that decode to width*height pixels."""
    row = b"\x00" + bytes((width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def application_post_data(**overrides) -> dict:
    """A complete, valid apply-form POST for a cooperative in 柞水县 that sells food."""
    zhashui = county(DEFAULT_COUNTY_CODE)
    data = {
        "kind": Producer.Kind.COOPERATIVE,
        "name": "柞水县金米村木耳专业合作社",
        "uscc": valid_uscc(424242),
        "province": zhashui.parent.parent.pk,
        "city": zhashui.parent.pk,
        "county": zhashui.pk,
        "legal_representative": "李建国",
        "contact_name": "王小红",
        "contact_mobile": "138 0013 8000",
        "bank_account_name": "柞水县金米村木耳专业合作社",
        "bank_name": "中国农业银行柞水县支行",
        "bank_account_number": "6228 4801 2345 6789 012",
        "sells_food": "on",
        "food_licence_number": "SC10661102600012",
        "business_licence": upload("营业执照.png", png_bytes()),
        "food_licence_file": upload("许可证.pdf", MINIMAL_PDF, "application/pdf"),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


class CountyReviewerFactory(DjangoModelFactory):
    class Meta:
        model = CountyReviewer

    user = factory.SubFactory(UserFactory)
    county = factory.LazyFunction(lambda: county(DEFAULT_COUNTY_CODE))


class ProducerApplicationFactory(DjangoModelFactory):
    """A submitted application, with its submit decision logged as the service does."""

    class Meta:
        model = ProducerApplication
        skip_postgeneration_save = True

    applicant = factory.SubFactory(UserFactory)
    status = ProducerApplication.Status.SUBMITTED
    kind = Producer.Kind.COOPERATIVE
    name = factory.Sequence(lambda n: f"柞水县木耳专业合作社{n}")
    uscc = factory.Sequence(lambda n: valid_uscc(900000 + n))
    county = factory.LazyFunction(lambda: county(DEFAULT_COUNTY_CODE))
    legal_representative = "李建国"
    contact_name = "王小红"
    contact_mobile = "13800138000"
    bank_account_name = factory.SelfAttribute("name")
    bank_name = "中国农业银行柞水县支行"
    bank_account_number = "6228480123456789012"
    sells_food = False
    food_licence_number = ""
    business_licence = factory.django.FileField(filename="licence.png", data=png_bytes())

    @factory.post_generation
    def submitted(obj, create, extracted, **kwargs):
        if create:
            ApplicationDecision.objects.create(
                application=obj,
                actor=obj.applicant,
                action=ApplicationDecision.Action.SUBMIT,
                to_status=ProducerApplication.Status.SUBMITTED,
            )


def stored_files(root) -> list:
    if not root.exists():
        return []
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())
