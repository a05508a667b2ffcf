import datetime
from decimal import Decimal

import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from oscar.core.loading import get_model

from tests.factories.partner import StockRecordFactory
from tests.factories.producers import ProducerFactory

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")


class ProductClassFactory(DjangoModelFactory):
    class Meta:
        model = ProductClass
        django_get_or_create = ("slug",)

    name = "农产品"
    slug = factory.LazyAttribute(lambda o: slugify(o.name, allow_unicode=True))
    track_stock = True
    requires_shipping = True


class CategoryFactory(DjangoModelFactory):
    """A root category; an existing root with the same name is reused, as
    Oscar's `create_from_breadcrumbs` does, because Oscar expects root names
    to be unique."""

    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"分类{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Treebeard computes path/depth; a plain INSERT would corrupt the tree.
        existing = model_class.objects.filter(depth=1, name=kwargs["name"]).first()
        return existing or model_class.add_root(**kwargs)


class ProductFactory(DjangoModelFactory):
    """A standalone, public product with its producer's county as origin."""

    class Meta:
        model = Product
        skip_postgeneration_save = True

    structure = Product.STANDALONE
    title = factory.Sequence(lambda n: f"柞水黑木耳 250g 礼盒装 {n}")
    upc = factory.Sequence(lambda n: f"UPC-{n:06d}")
    description = "<p>产自秦岭南麓，椴木栽培，自然晾晒。请置于阴凉干燥处保存。</p>"
    product_class = factory.SubFactory(ProductClassFactory)
    is_public = True
    review_status = "approved"
    producer = factory.SubFactory(ProducerFactory)
    origin_county = factory.SelfAttribute("producer.county")

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        if not create:
            return
        for category in extracted if extracted is not None else [CategoryFactory()]:
            obj.categories.add(category)


class ChildProductFactory(ProductFactory):
    """A variant of ``parent``: it takes its producer, origin, class and
    categories from the parent, as Oscar's child products do."""

    structure = Product.CHILD
    parent = factory.SubFactory(ProductFactory, structure=Product.PARENT)
    title = ""
    product_class = None
    producer = None
    origin_county = None
    # A variant is reviewed with its parent; its own status is never set.
    review_status = "pending"

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        """Variants are filed under their parent's categories, never their own."""


class ProductImageFactory(DjangoModelFactory):
    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    original = factory.django.ImageField(width=60, height=60, color="green")
    caption = factory.SelfAttribute("product.title")
    display_order = 0


def product_with_stock(
    *,
    price: Decimal = Decimal("39.90"),
    stock: int = 100,
    partner_sku: str | None = None,
    **product_kwargs,
) -> Product:
    """A product with one stock record from its producer's partner."""
    product = ProductFactory(**product_kwargs)
    stock_kwargs = {"partner_sku": partner_sku} if partner_sku else {}
    StockRecordFactory(product=product, price=price, num_in_stock=stock, **stock_kwargs)
    return product


def multi_spec_product(
    *,
    specs=(("250g", Decimal("39.90")), ("500g", Decimal("72.00"))),
    stock: int = 50,
    photos: int = 0,
    sku_prefix: str | None = None,
    **parent_kwargs,
) -> Product:
    """A multi-spec listing (Oscar parent) with one variant per ``(spec, price)``,
    each with its 规格 attribute and a stock record of the producer's partner,
    and ``photos`` photos on the parent."""
    ProductAttribute = get_model("catalogue", "ProductAttribute")
    parent = ProductFactory(structure=Product.PARENT, **parent_kwargs)
    ProductAttribute.objects.get_or_create(
        product_class=parent.product_class,
        code="spec",
        defaults={"name": "规格", "type": ProductAttribute.TEXT, "required": False},
    )
    prefix = sku_prefix or f"V{parent.pk}"
    for index, (spec, price) in enumerate(specs):
        child = ChildProductFactory(parent=parent, title=f"{parent.title}（{spec}）")
        child.attr.spec = spec
        child.attr.save()
        StockRecordFactory(
            product=child,
            partner=parent.producer.partner,
            partner_sku=f"{prefix}-{index}",
            price=price,
            num_in_stock=stock,
        )
    for order in range(photos):
        ProductImageFactory(product=parent, display_order=order)
    return parent


class ReferencePriceFactory(DjangoModelFactory):
    """A nationwide reference price of ¥30.00 per 250g, observed on 2026-06-01."""

    class Meta:
        model = get_model("catalogue", "ReferencePrice")

    category = factory.SubFactory(CategoryFactory)
    region = None
    price = Decimal("30.00")
    unit = "250g"
    source = "西安市朱雀农产品批发市场零售价"
    observed_on = datetime.date(2026, 6, 1)
