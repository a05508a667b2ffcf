from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError


class RegionNotCounty(DomainError):
    """A producer, a product origin or a key-assistance flag needs a county-level division."""

    code = "region_not_county"
    message = _("请选择县级行政区划。")
