class PaymentsError(Exception):
    """Base class for payment domain errors."""


class NoBankTransferSource(PaymentsError):
    """The order was not placed for payment by bank transfer."""
