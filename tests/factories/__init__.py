from tests.factories.catalogue import (
    CategoryFactory,
    ChildProductFactory,
    ProductClassFactory,
    ProductFactory,
    ProductImageFactory,
    product_with_stock,
)
from tests.factories.partner import PartnerFactory, StockRecordFactory
from tests.factories.producers import (
    DEFAULT_COUNTY_CODE,
    USCC_PREFIX,
    ProducerFactory,
    county,
    valid_uscc,
)
from tests.factories.users import DEFAULT_PASSWORD, StaffUserFactory, UserFactory

__all__ = [
    "DEFAULT_COUNTY_CODE",
    "DEFAULT_PASSWORD",
    "USCC_PREFIX",
    "CategoryFactory",
    "ChildProductFactory",
    "PartnerFactory",
    "ProducerFactory",
    "ProductClassFactory",
    "ProductFactory",
    "ProductImageFactory",
    "StaffUserFactory",
    "StockRecordFactory",
    "UserFactory",
    "county",
    "product_with_stock",
    "valid_uscc",
]
