"""The one home of factories and builders of rows and files for the tests.

Test modules import from here or from a submodule; helpers that build
nothing (thread runners) live in tests/support/.
"""

from tests.factories.aftersales import (
    bank_order_paid,
    card_order_paid,
    card_order_unpaid,
    producer_of,
    shipped,
)
from tests.factories.catalogue import (
    CategoryFactory,
    ChildProductFactory,
    ProductClassFactory,
    ProductFactory,
    ProductImageFactory,
    ReferencePriceFactory,
    multi_spec_product,
    product_with_stock,
)
from tests.factories.files import (
    MINIMAL_PDF,
    bomb_png_bytes,
    jpeg_bytes,
    png_bytes,
    stored_files,
    table_xlsx,
    upload,
)
from tests.factories.orders import (
    bank_transfer_order,
    basket_with,
    place,
    place_order,
    stripe_card_order,
)
from tests.factories.partner import PartnerFactory, StockRecordFactory
from tests.factories.producers import (
    DEFAULT_COUNTY_CODE,
    USCC_PREFIX,
    BenefitLinkageFactory,
    CountyReviewerFactory,
    ProducerApplicationFactory,
    ProducerFactory,
    application_post_data,
    county,
    producer_with_user,
    valid_uscc,
)
from tests.factories.users import (
    DEFAULT_PASSWORD,
    StaffUserFactory,
    UserFactory,
    UserMobileFactory,
)

__all__ = [
    "ReferencePriceFactory",
    "table_xlsx",
    "bank_order_paid",
    "card_order_paid",
    "card_order_unpaid",
    "producer_of",
    "shipped",
    "DEFAULT_COUNTY_CODE",
    "DEFAULT_PASSWORD",
    "MINIMAL_PDF",
    "USCC_PREFIX",
    "BenefitLinkageFactory",
    "CategoryFactory",
    "ChildProductFactory",
    "CountyReviewerFactory",
    "PartnerFactory",
    "ProducerApplicationFactory",
    "ProducerFactory",
    "ProductClassFactory",
    "ProductFactory",
    "ProductImageFactory",
    "StaffUserFactory",
    "StockRecordFactory",
    "UserFactory",
    "UserMobileFactory",
    "application_post_data",
    "bank_transfer_order",
    "basket_with",
    "bomb_png_bytes",
    "county",
    "jpeg_bytes",
    "place",
    "place_order",
    "stripe_card_order",
    "png_bytes",
    "producer_with_user",
    "multi_spec_product",
    "product_with_stock",
    "stored_files",
    "upload",
    "valid_uscc",
]
