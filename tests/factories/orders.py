"""Consumer baskets and orders placed through Oscar's own order creator."""

from oscar.apps.shipping.methods import Free
from oscar.core.loading import get_class, get_model

from payments.services import (
    bank_transfer_source_type,
    stripe_card_source_type,
    stripe_payment_intent_create,
    stripe_payment_record,
)

Basket = get_model("basket", "Basket")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Selector = get_class("partner.strategy", "Selector")


def basket_with(product, quantity=1):
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(product, quantity)
    return basket


def place(basket, number):
    """The placing of ``basket``'s order as ``number``, to be called later (by a thread)."""

    def work():
        basket.strategy = Selector().strategy()
        shipping = Free()
        charge = shipping.calculate(basket)
        total = OrderTotalCalculator().calculate(basket, charge)
        return OrderCreator().place_order(
            basket=basket,
            total=total,
            shipping_method=shipping,
            shipping_charge=charge,
            order_number=number,
        )

    return work


def place_order(*products, number="100001"):
    """An order for two of each product, placed now."""
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for product in products:
        basket.add_product(product, 2)
    shipping = Free()
    charge = shipping.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    return OrderCreator().place_order(
        basket=basket,
        total=total,
        shipping_method=shipping,
        shipping_charge=charge,
        order_number=number,
    )


def bank_transfer_order(*products, number="100001"):
    """An order placed for payment by bank transfer, as checkout places one:
    awaiting payment, its whole total allocated to a bank-transfer source."""
    order = place_order(*products, number=number)
    order.sources.create(
        source_type=bank_transfer_source_type(),
        currency=order.currency,
        amount_allocated=order.total_incl_tax,
        reference=order.number,
    )
    return order


def stripe_card_order(*products, number="100001"):
    """An order placed for payment by card, as checkout places one: awaiting
    payment, with a PaymentIntent at (local)Stripe for its total. Needs the
    stripe_on fixture."""
    order = place_order(*products, number=number)
    order.guest_email = "buyer@example.com"
    order.save(update_fields=["guest_email"])
    intent = stripe_payment_intent_create(
        basket_id=order.basket_id,
        amount=order.total_incl_tax,
        currency=order.currency,
        order_number=number,
    )
    order.sources.create(
        source_type=stripe_card_source_type(),
        currency=order.currency,
        amount_allocated=order.total_incl_tax,
        reference=order.number,
    )
    stripe_payment_record(order=order, intent=intent)
    return order
