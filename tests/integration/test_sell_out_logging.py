"""A sell-out is not an error (issue 11, shoppers): with 30 buyers racing for 5
units, each refused buyer wrote an ERROR with a full traceback to the log."""

import logging

from oscar.apps.checkout.views import logger as checkout_logger

from partner.exceptions import InsufficientStock


def _log_unable_to_place(exc: Exception) -> None:
    # What Oscar's PaymentDetailsView.submit does when placing the order fails.
    try:
        raise exc
    except Exception as caught:
        checkout_logger.error(
            "Order #%s: unable to place order - %s", "100001", caught, exc_info=True
        )


def test_a_sell_out_at_checkout_is_one_info_line(caplog):
    with caplog.at_level(logging.INFO):
        _log_unable_to_place(InsufficientStock("柞水木耳", 3, 0))
    (record,) = [r for r in caplog.records if r.name == checkout_logger.name]
    assert record.levelno == logging.INFO
    assert record.exc_info is None and "Traceback" not in caplog.text


def test_any_other_failure_to_place_an_order_stays_an_error(caplog):
    _log_unable_to_place(RuntimeError("payment gateway down"))
    (record,) = [r for r in caplog.records if r.name == checkout_logger.name]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
