"""Listings the public must not see, and the check that a response shows
nothing of them: not the title (nor the slug made from it), price or photo."""

from decimal import Decimal
from urllib.parse import unquote

import pytest

from tests.factories import (
    ChildProductFactory,
    ProductImageFactory,
    StockRecordFactory,
    UserFactory,
    product_with_stock,
)

SECRET_TITLE = "未公开的秦岭黑木耳新品"
SECRET_PRICE = Decimal("77.70")
SECRET_PHOTO = "unreleased-fungus-photo"


def _standalone(**kwargs):
    product = product_with_stock(title=SECRET_TITLE, price=SECRET_PRICE, **kwargs)
    ProductImageFactory(product=product, caption="", original__filename=f"{SECRET_PHOTO}.jpg")
    return product


def _variant_of_pending_parent():
    parent = _standalone(review_status="pending")
    variant = ChildProductFactory(parent=parent)
    StockRecordFactory(product=variant, partner=parent.producer.partner, price=SECRET_PRICE)
    return variant


HIDDEN = {
    "pending": lambda: _standalone(review_status="pending"),
    "rejected": lambda: _standalone(review_status="rejected"),
    "approved-not-public": lambda: _standalone(is_public=False),
    "variant-of-pending": _variant_of_pending_parent,
}


@pytest.fixture(params=list(HIDDEN))
def hidden(request, db):
    """Each kind of listing the public may not see, named, priced and pictured."""
    return HIDDEN[request.param]()


@pytest.fixture
def live(db):
    return product_with_stock(title="已上架的柞水木耳", price=Decimal("39.90"))


@pytest.fixture
def customer(client, db):
    """A signed-in customer, neither staff nor one of the producer's users."""
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def assert_hides():
    def check(response, product):
        root = product.parent or product
        shown = response.content.decode() + unquote(response.get("Location", ""))
        assert SECRET_TITLE not in shown
        assert root.slug not in shown
        assert str(SECRET_PRICE) not in shown
        assert SECRET_PHOTO not in shown

    return check
