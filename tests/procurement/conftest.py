import pytest

from tests.factories import product_with_stock
from tests.factories.procurement import Team, producer_user


@pytest.fixture
def team(db):
    return Team()


@pytest.fixture
def product(db):
    return product_with_stock(stock=500)


@pytest.fixture
def seller(product):
    return producer_user(product.producer)
