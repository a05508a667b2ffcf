"""The rows this app locks, named once (Saleor's ``lock_objects.py``)."""

from common.locks import row_lock
from regions.models import Region


def region_lock(*, pk: int) -> Region:
    return row_lock(Region.objects.all(), pk=pk)
