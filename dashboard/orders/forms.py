"""Oscar's order dashboard forms, offering status labels instead of the stored codes."""

from oscar.apps.dashboard.orders.forms import *  # noqa: F403
from oscar.apps.dashboard.orders.forms import OrderSearchForm as OscarOrderSearchForm
from oscar.apps.dashboard.orders.forms import OrderStatusForm as OscarOrderStatusForm
from oscar.core.loading import get_model

from common.order_status import order_status_choices

Order = get_model("order", "Order")


class OrderSearchForm(OscarOrderSearchForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", "---------"),
            *order_status_choices(Order.all_statuses()),
        ]


class OrderStatusForm(OscarOrderStatusForm):
    def __init__(self, order, *args, **kwargs):
        super().__init__(order, *args, **kwargs)
        self.fields["new_status"].choices = order_status_choices(order.available_statuses())
