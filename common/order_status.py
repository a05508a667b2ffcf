"""Oscar stores an order's status as the code in its pipeline; people read the
label configured for it in ``ORDER_STATUS_LABELS``, in their language."""

from django.conf import settings
from django.utils.translation import gettext


def order_status_label(status: str) -> str:
    label = settings.ORDER_STATUS_LABELS.get(status)
    return gettext(label) if label else status


def order_status_choices(statuses) -> list[tuple[str, str]]:
    return [(status, order_status_label(status)) for status in statuses]
