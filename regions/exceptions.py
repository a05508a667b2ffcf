from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError


class RegionNotCounty(DomainError):
    """A producer, a product origin or a key-assistance flag needs a county-level division."""

    code = "region_not_county"
    message = _("请选择县级行政区划。")


class KeyAssistanceNotCounty(RegionNotCounty):
    """The same rule for the 国家乡村振兴重点帮扶县 flag."""

    code = RegionNotCounty.code
    message = _("只有县级行政区划可以标记为国家乡村振兴重点帮扶县。")


class KeyAssistanceStaffOnly(DomainError):
    """Only platform staff keep the key-assistance-county list."""

    code = "key_county_staff_only"
    message = _("只有平台运营人员可以维护国家乡村振兴重点帮扶县名单。")
