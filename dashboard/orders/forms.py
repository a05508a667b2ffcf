"""Oscar's order dashboard forms, offering status labels instead of the stored
codes, and the bank-transfer receipt and refund forms of the order page."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.orders.forms import *  # noqa: F403
from oscar.apps.dashboard.orders.forms import OrderSearchForm as OscarOrderSearchForm
from oscar.apps.dashboard.orders.forms import OrderStatusForm as OscarOrderStatusForm
from oscar.core.loading import get_model

from common.order_status import order_status_choices
from common.validators import validate_single_line
from payments.models import BANK_REFERENCE_MAX_LENGTH
from payments.rules import order_status_change_refusal

Order = get_model("order", "Order")

DateInput = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
        # A bank-transfer order is not offered "paid": its receipts make it paid.
        statuses = [
            status
            for status in order.available_statuses()
            if order_status_change_refusal(order, status) is None
        ]
        self.fields["new_status"].choices = order_status_choices(statuses)


class BankReceiptForm(forms.Form):
    # Amount and dates are checked by payments.services.bank_receipt_record,
    # whose refusals the view puts on these fields.
    reference = forms.CharField(
        label=_("银行流水号"),
        max_length=BANK_REFERENCE_MAX_LENGTH,
        validators=[validate_single_line],
    )
    amount = forms.DecimalField(label=_("到账金额（元）"))
    received_on = forms.DateField(label=_("到账日期"), widget=DateInput)
    note = forms.CharField(
        label=_("备注"), max_length=200, required=False, validators=[validate_single_line]
    )


class BankRefundSettleForm(forms.Form):
    """One per refund owed, prefixed with its number (``refund-<pk>``)."""

    reference = forms.CharField(
        label=_("退款流水号"),
        max_length=BANK_REFERENCE_MAX_LENGTH,
        validators=[validate_single_line],
    )
    refunded_on = forms.DateField(label=_("退款日期"), widget=DateInput)
