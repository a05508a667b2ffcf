"""Oscar's order dashboard with bank-transfer receipts: staff record what
arrived on the order page, and cannot mark a bank-transfer order paid by hand."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from oscar.apps.dashboard.orders.views import OrderDetailView as OscarOrderDetailView
from oscar.apps.dashboard.orders.views import OrderListView as OscarOrderListView

from common.exceptions import DomainError
from common.http import posted_pk
from dashboard.orders.forms import BankReceiptForm, BankRefundSettleForm
from payments.rules import order_status_change_refusal
from payments.selectors import order_bank_transfer_figures
from payments.services import bank_receipt_record, bank_transfer_refund_settle

RECEIPTS_FRAGMENT = "bank-receipts"


def _put_on_form(form, error: DomainError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


class OrderListView(OscarOrderListView):
    def change_order_status(self, request, order):
        refusal = order_status_change_refusal(order, request.POST.get("new_status", "").strip())
        if refusal is not None:
            messages.error(request, str(refusal))
            return
        super().change_order_status(request, order)


class OrderDetailView(OscarOrderDetailView):
    order_actions = (
        *OscarOrderDetailView.order_actions,
        "record_bank_receipt",
        "settle_bank_refund",
    )

    def get_payment_transactions(self):
        # Each bank receipt and refund is a transaction: the payments tab names
        # their sources in one query, not one per row.
        return super().get_payment_transactions().select_related("source__source_type")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        order = self.object
        # Payments in and refunds out, named by payments.methods.PAYMENT_EVENT_LABELS.
        ctx["payment_events"] = order.payment_events.select_related("event_type").prefetch_related(
            "line_quantities__line"
        )
        figures = order_bank_transfer_figures(order=order)
        ctx["bank_transfer"] = figures
        if figures is not None:
            ctx["bank_receipts"] = order.bank_receipts.select_related("recorded_by")
            refund_forms = kwargs.get("bank_refund_forms", {})
            ctx["bank_refunds"] = [
                (
                    refund,
                    refund_forms.get(refund.pk)
                    or BankRefundSettleForm(prefix=f"refund-{refund.pk}"),
                )
                for refund in order.bank_transfer_refunds.select_related("receipt", "settled_by")
            ]
            ctx["bank_receipt_form"] = kwargs.get("bank_receipt_form") or BankReceiptForm(
                prefix="receipt"
            )
        return ctx

    def change_order_status(self, request, order):
        refusal = order_status_change_refusal(order, request.POST.get("new_status", "").strip())
        if refusal is not None:
            return self.reload_page(error=str(refusal))
        return super().change_order_status(request, order)

    def _render_with(self, **forms):
        return self.render_to_response(self.get_context_data(**forms))

    def record_bank_receipt(self, request, order):
        form = BankReceiptForm(request.POST, prefix="receipt")
        if form.is_valid():
            try:
                receipt = bank_receipt_record(
                    order_id=order.pk, actor=request.user, **form.cleaned_data
                )
            except DomainError as error:
                _put_on_form(form, error)
            else:
                messages.success(
                    request,
                    _("已登记银行收款 %(reference)s：%(amount)s 元。")
                    % {"reference": receipt.reference, "amount": receipt.amount},
                )
                return self.reload_page(fragment=RECEIPTS_FRAGMENT)
        return self._render_with(bank_receipt_form=form)

    def settle_bank_refund(self, request, order):
        refund = get_object_or_404(order.bank_transfer_refunds, pk=posted_pk(request, "refund_id"))
        form = BankRefundSettleForm(request.POST, prefix=f"refund-{refund.pk}")
        if form.is_valid():
            try:
                bank_transfer_refund_settle(
                    refund_id=refund.pk, actor=request.user, **form.cleaned_data
                )
            except DomainError as error:
                _put_on_form(form, error)
            else:
                messages.success(
                    request, _("已登记退款 %(amount)s 元。") % {"amount": refund.amount}
                )
                return self.reload_page(fragment=RECEIPTS_FRAGMENT)
        return self._render_with(bank_refund_forms={refund.pk: form})
