from django.conf import settings

from payments.methods import BANK_TRANSFER_CODE
from payments.services import bank_transfer_record_payment


def record_bank_transfer_when_marked_paid(sender, order, old_status, new_status, **kwargs):
    """Staff mark a bank-transfer order paid in Oscar's dashboard by moving it
    to the paid status; the money side follows here."""
    if (
        new_status == settings.ORDER_STATUS_PAID
        and order.sources.filter(source_type__code=BANK_TRANSFER_CODE).exists()
    ):
        bank_transfer_record_payment(order_id=order.pk)
