"""How a mainland shipping address is printed, everywhere one is printed.

Oscar keeps the address in its own columns (see checkout.forms): ``state`` is
the province, ``line4`` the city, ``line3`` the county, ``line1`` the detailed
address, ``last_name`` the recipient and ``phone_number`` the mobile as
+86…. Oscar prints them western-style, street first; a Chinese address reads
from the largest region down, then who receives it and their mobile."""

from django.core.exceptions import ValidationError

from common.validators import normalise_mainland_mobile, validate_mainland_mobile


def mobile_display(phone) -> str:
    """A mainland mobile as people write it: 138 0013 8000 (no +86). Anything
    else (a landline, a foreign number) is printed as stored."""
    text = str(phone or "")
    try:
        validate_mainland_mobile(text)
    except ValidationError:
        return text
    digits = normalise_mainland_mobile(text)
    return f"{digits[:3]} {digits[3:7]} {digits[7:]}"


def address_lines(address) -> list[str]:
    """The lines of ``address`` in Chinese order: 省 市 县 详细地址, then the
    recipient, then the mobile. A municipality (北京市, whose districts hang
    directly under it) is named once, not as province and city both."""
    if address is None:
        return []
    regions = []
    for name in (address.state, address.line4, address.line3):
        name = (name or "").strip()
        if name and (not regions or regions[-1] != name):
            regions.append(name)
    place = " ".join(
        regions + [part.strip() for part in (address.line1, address.line2) if (part or "").strip()]
    )
    recipient = "".join(
        (getattr(address, field, "") or "").strip() for field in ("last_name", "first_name")
    )
    lines = [place, recipient, mobile_display(getattr(address, "phone_number", ""))]
    return [line for line in lines if line]
