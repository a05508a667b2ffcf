"""One rule decides what the public sees: ``ProductQuerySet.visible_to_public``
for querysets, ``Product.is_visible_to_public`` for one product. They agree on
every combination, and every listing the shop builds goes through them."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalogue.selectors import product_is_previewable_by
from partner.strategy import Selector
from procurement.selectors import orderable_stockrecords
from search.documents import searchable_products
from tests.factories import (
    ChildProductFactory,
    ProducerFactory,
    ProductFactory,
    StaffUserFactory,
    StockRecordFactory,
    UserFactory,
    product_with_stock,
)

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

STATUSES = ["approved", "pending", "rejected"]

STANDALONE_CASES = [
    pytest.param(status, public, status == "approved" and public, id=f"{status}-public={public}")
    for status in STATUSES
    for public in (True, False)
]

# A variant is reviewed with its parent: its own status never counts, both it
# and its parent must be public.
CHILD_CASES = [
    pytest.param(
        parent_status,
        parent_public,
        child_status,
        child_public,
        parent_status == "approved" and parent_public and child_public,
        id=f"parent-{parent_status}-public={parent_public}/child-{child_status}-public={child_public}",
    )
    for parent_status in STATUSES
    for parent_public in (True, False)
    for child_status in ("approved", "pending")
    for child_public in (True, False)
]


def agree(product, expected):
    product = Product.objects.get(pk=product.pk)
    assert product.is_visible_to_public is expected
    assert Product.objects.visible_to_public().filter(pk=product.pk).exists() is expected


@pytest.mark.parametrize(("status", "public", "expected"), STANDALONE_CASES)
def test_predicate_and_queryset_agree_on_standalone_and_parent_products(status, public, expected):
    standalone = ProductFactory(review_status=status, is_public=public)
    parent = ProductFactory(structure=Product.PARENT, review_status=status, is_public=public)
    agree(standalone, expected)
    agree(parent, expected)
    assert Product.objects.browsable().filter(pk=standalone.pk).exists() is expected


@pytest.mark.parametrize(
    ("parent_status", "parent_public", "child_status", "child_public", "expected"), CHILD_CASES
)
def test_predicate_and_queryset_agree_on_variants(
    parent_status, parent_public, child_status, child_public, expected
):
    child = ChildProductFactory(
        parent__review_status=parent_status,
        parent__is_public=parent_public,
        review_status=child_status,
        is_public=child_public,
    )
    agree(child, expected)
    # Variants are reached through their parent, never listed on their own.
    assert not Product.objects.browsable().filter(pk=child.pk).exists()


def test_staff_and_the_producers_own_users_may_preview_and_no_one_else():
    producer = ProducerFactory()
    own = UserFactory()
    producer.partner.users.add(own)
    product = ProductFactory(producer=producer, review_status="pending")
    variant = ChildProductFactory(parent=product)
    for item in (product, variant):
        assert product_is_previewable_by(product=item, user=own)
        assert product_is_previewable_by(product=item, user=StaffUserFactory())
        assert not product_is_previewable_by(product=item, user=UserFactory())


def hidden_products_with_stock():
    return [
        product_with_stock(review_status="pending"),
        product_with_stock(review_status="rejected"),
        product_with_stock(is_public=False),
    ]


def test_search_indexes_only_products_visible_to_the_public():
    live = product_with_stock()
    hidden = hidden_products_with_stock()
    ids = set(searchable_products().values_list("pk", flat=True))
    assert live.pk in ids
    assert ids.isdisjoint(p.pk for p in hidden)


def test_bulk_buyers_are_offered_only_products_visible_to_the_public():
    live = product_with_stock()
    hidden = hidden_products_with_stock()
    offered = set(orderable_stockrecords().values_list("product_id", flat=True))
    assert live.pk in offered
    assert offered.isdisjoint(p.pk for p in hidden)


def test_variants_of_a_hidden_parent_cannot_be_bought_by_consumers():
    parent = ProductFactory(structure=Product.PARENT, review_status="pending")
    variant = ChildProductFactory(parent=parent)
    StockRecordFactory(product=variant, partner=parent.producer.partner, price=Decimal("9.90"))
    info = Selector().strategy().fetch_for_product(variant)
    assert not info.availability.is_available_to_buy


def test_producer_page_lists_only_products_visible_to_the_public(client):
    producer = ProducerFactory()
    live = product_with_stock(producer=producer, title="公开的木耳")
    hidden = [
        product_with_stock(producer=producer, title="待审的木耳", review_status="pending"),
        product_with_stock(producer=producer, title="下架的木耳", is_public=False),
    ]
    page = client.get(reverse("producers:producer-detail", kwargs={"pk": producer.pk}))
    content = page.content.decode()
    assert live.title in content
    for product in hidden:
        assert product.title not in content
