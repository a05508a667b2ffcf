"""Identifiers the demo needs to look real: credit codes that pass their check
rules, named moments of the current year, and the counties of the data files."""

import datetime

from django.utils import timezone

from common.validators import uscc_check_character
from regions.models import Region

# GB 11714 组织机构代码: weights of the eight body digits.
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_code(sequence: int) -> str:
    """9-character 组织机构代码 (GB 11714): 8 digits and their check character, so
    that positions 9–17 of a demo credit code look like a real one."""
    body = f"{sequence:08d}"
    remainder = 11 - sum(int(d) * w for d, w in zip(body, _ORG_CODE_WEIGHTS, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(remainder, str(remainder))


def uscc(*, prefix: str, region_code: str, sequence: int) -> str:
    """A 统一社会信用代码 with a valid GB 32100 check character, unique per ``sequence``."""
    first17 = prefix + region_code + organisation_code(sequence)
    return first17 + uscc_check_character(first17)


def county(code: str) -> Region:
    """A county of the GB/T 2260 tree; the seed loads the tree before it asks."""
    return Region.objects.get(code=code, level=Region.Level.COUNTY)


def moment(name: str, *, today: datetime.date | None = None) -> datetime.date:
    """A named day of the demo's data files (see demo/data/procurement.toml):
    within the current year and never after today, except ``last_december``."""
    today = today or timezone.localdate()
    new_year = datetime.date(today.year, 1, 1)
    if name == "last_december":
        return datetime.date(today.year - 1, 12, 20)
    days_ago = {"early": 300, "mid": 45, "recent": 5}[name]
    return max(new_year, today - datetime.timedelta(days=days_ago))
