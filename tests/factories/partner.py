from decimal import Decimal

import factory
from factory.django import DjangoModelFactory
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"商城合作方{n}")


class StockRecordFactory(DjangoModelFactory):
    class Meta:
        model = StockRecord

    product = factory.SubFactory("tests.factories.catalogue.ProductFactory")
    partner = factory.LazyAttribute(lambda o: o.product.producer.partner)
    partner_sku = factory.Sequence(lambda n: f"SKU-{n:06d}")
    price_currency = "CNY"
    price = Decimal("39.90")
    num_in_stock = 100
