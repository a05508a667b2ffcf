"""Orders walked through payment and shipping by the services that do it in
production, for tests of what comes after (receipt, invoices, e-mails)."""

from django.conf import settings

from producers.services.workspace import order_ship_producer_lines
from tests.factories import UserFactory, place_order


def paid_order(buyer, *products, number="200001"):
    """An order of ``buyer``'s for two of each product, marked paid."""
    order = place_order(*products, number=number)
    order.user = buyer
    order.save(update_fields=["user"])
    order.set_status(settings.ORDER_STATUS_PAID)
    return order


def ship(order, producer, *, tracking_number="SF1234567890"):
    """``producer`` ships its lines of ``order`` (as one of its users)."""
    shipper = producer.partner.users.first()
    if shipper is None:
        shipper = UserFactory()
        producer.partner.users.add(shipper)
    return order_ship_producer_lines(
        producer=producer,
        order_id=order.pk,
        actor=shipper,
        carrier="sf",
        tracking_number=tracking_number,
    )


def shipped_order(buyer, *products, number="200001"):
    """An order of ``buyer``'s, paid and shipped by every producer in it."""
    order = paid_order(buyer, *products, number=number)
    for producer in {product.get_producer() for product in products}:
        ship(order, producer)
    order.refresh_from_db()
    return order
