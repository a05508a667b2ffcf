"""Demo data for onboarding and self-service: a producer login, a county
reviewer, applications in every review state, listings in every review state
and a certificate about to lapse. Everything goes through the services, so the
demo shows the same decision logs real use would leave. Idempotent."""

import io
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image

from catalogue import services as catalogue_services
from catalogue.models import ReviewStatus
from producers import services
from producers.models import Certificate, CountyReviewer, ProducerApplication
from tests.factories import UserFactory, county, valid_uscc

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")

SELLER_EMAIL = "seller@example.com"
SELLER_PASSWORD = "demo-seller-2026"
COUNTY_REVIEWER_EMAIL = "county@example.com"
COUNTY_REVIEWER_PASSWORD = "demo-county-2026"
APPLICANT_PASSWORD = "demo-applicant-2026"

ZHASHUI = "611026"
ZIYANG = "610924"

# (applicant login, organisation name, county, final state, reason when sent back)
DEMO_APPLICATIONS = (
    ("applicant1@example.com", "柞水县营盘镇香菇种植专业合作社", ZHASHUI, "submitted", ""),
    ("applicant2@example.com", "柞水县红岩寺镇板栗专业合作社", ZHASHUI, "recommended", ""),
    (
        "applicant3@example.com",
        "柞水县杏坪镇土蜂蜜家庭农场",
        ZHASHUI,
        "returned",
        "营业执照照片模糊，请重新拍摄上传清晰完整的营业执照。",
    ),
    (
        "applicant4@example.com",
        "柞水县下梁镇农副产品贸易公司",
        ZHASHUI,
        "rejected",
        "该主体为贸易公司，产品并非本县生产，不符合消费帮扶产品认定条件。",
    ),
    ("applicant5@example.com", "柞水县曹坪镇核桃专业合作社", ZHASHUI, "approved", ""),
)

# (sku, title, category name, final review state, reason when rejected)
DEMO_LISTINGS = (
    ("ZS-XG-250", "柞水花菇 250g 袋装（新品待审）", "菌菇干货", "pending", ""),
    ("ZS-MR-5KG", "柞水黑木耳 5kg 食堂装（新品待审）", "菌菇干货", "pending", ""),
    (
        "ZS-MR-GIFT",
        "柞水木耳 臻品礼盒 1kg",
        "菌菇干货",
        "rejected",
        "商品图片与标注的净含量不符，请补充实物图片后重新提交。",
    ),
)


def _user(email: str, password: str):
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    return user or UserFactory(username=email, email=email, password=password)


def _sample_picture(text_colour: str = "#b22") -> SimpleUploadedFile:
    image = Image.new("RGB", (320, 220), "#f4f1e8")
    image.paste(Image.new("RGB", (300, 40), text_colour), (10, 10))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("licence.png", buffer.getvalue(), content_type="image/png")


def _details(index: int, name: str, county_code: str) -> services.ApplicationDetails:
    return services.ApplicationDetails(
        kind="cooperative",
        name=name,
        uscc=valid_uscc(90_000 + index, region_code=county_code),
        county=county(county_code),
        legal_representative="张建华",
        contact_name="李秀英",
        contact_mobile="13912345678",
        bank_account_name=name,
        bank_name="中国农业银行柞水县支行",
        bank_account_number="6228480123456789" + f"{index:03d}",
        sells_food=True,
        food_licence_number=f"SC10661102600{index:03d}",
    )


def _seed_applications(*, staff, reviewer) -> int:
    created = 0
    for index, (email, name, county_code, state, reason) in enumerate(DEMO_APPLICATIONS, 1):
        if ProducerApplication.objects.filter(name=name).exists():
            continue
        applicant = _user(email, APPLICANT_PASSWORD)
        application = services.producer_application_submit(
            applicant=applicant,
            details=_details(index, name, county_code),
            business_licence=_sample_picture(),
            food_licence_file=_sample_picture("#2a6"),
        )
        created += 1
        if state == "submitted":
            continue
        if state == "returned":
            services.producer_application_return(
                application=application, actor=reviewer, reason=reason
            )
            continue
        services.producer_application_recommend(application=application, actor=reviewer)
        if state == "rejected":
            services.producer_application_reject(
                application=application, actor=staff, reason=reason
            )
        elif state == "approved":
            services.producer_application_approve(application=application, actor=staff)
    return created


def _seed_listings(*, producer, seller, staff) -> int:
    created = 0
    category = Category.objects.filter(name=DEMO_LISTINGS[0][2]).first() or Category.objects.first()
    for sku, title, _category, state, reason in DEMO_LISTINGS:
        if Product.objects.filter(producer=producer, stockrecords__partner_sku=sku).exists():
            continue
        product = catalogue_services.product_listing_create(
            producer=producer,
            actor=seller,
            sku=sku,
            content=catalogue_services.ListingContent(
                title=title,
                description="秦岭南麓椴木栽培，自然晾晒。\n示例数据：用于演示商品审核流程。",
                category=category,
                origin_county=producer.county,
                attributes={
                    "net_content": title.split()[1] if " " in title else "",
                    "spec": "袋装",
                    "shelf_life": "24个月",
                    "storage": "阴凉干燥处",
                },
            ),
            price=Decimal("58.00"),
            num_in_stock=200,
            image=_sample_picture("#333"),
        )
        created += 1
        if state == ReviewStatus.REJECTED:
            catalogue_services.product_review_reject(product=product, actor=staff, reason=reason)
    return created


def _seed_expiring_certificate(producer) -> int:
    """One certificate lapsing within the warning window, whatever day the demo is seeded."""
    today = timezone.localdate()
    _certificate, created = Certificate.objects.get_or_create(
        producer=producer,
        kind=Certificate.Kind.COMPLIANCE_COMMITMENT,
        number="CNHG-611026-2025-0088",
        defaults={
            "issuer": "柞水县农业农村局",
            "valid_from": today - timedelta(days=340),
            "valid_until": today + timedelta(days=20),
        },
    )
    if created:
        _certificate.products.set(producer.products.filter(review_status=ReviewStatus.APPROVED))
    return int(created)


def seed_producer_workflow(*, producer, staff) -> dict[str, int]:
    """``producer`` gets the seller login; applications are filed in its county."""
    seller = _user(SELLER_EMAIL, SELLER_PASSWORD)
    producer.partner.users.add(seller)
    reviewer = _user(COUNTY_REVIEWER_EMAIL, COUNTY_REVIEWER_PASSWORD)
    CountyReviewer.objects.get_or_create(user=reviewer, county=county(ZHASHUI))
    if not producer.food_licence_number:
        producer.food_licence_number = "SC10661102600012"
        producer.save(update_fields=["food_licence_number"])
    return {
        "applications": _seed_applications(staff=staff, reviewer=reviewer),
        "listings": _seed_listings(producer=producer, seller=seller, staff=staff),
        "certificates": _seed_expiring_certificate(producer),
    }
