"""Categories, the 80 sample listings — filed by their producers and approved
by staff, so each carries its review decisions — the seller's listings waiting
for review or rejected, and the home page's featured products
(demo/data/catalogue.toml, onboarding.toml)."""

from decimal import Decimal

from django.utils.text import slugify
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from catalogue import services
from catalogue.models import ReviewStatus
from cms.models import HomePage, HomePageFeaturedProduct
from cms.selectors import source_pages
from demo.data import load
from demo.seed import pictures
from demo.seed.identifiers import county
from demo.seed.tally import Tally
from producers import services as producer_services

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductClass = get_model("catalogue", "ProductClass")


def _product_class(name: str):
    if name == services.LISTING_PRODUCT_CLASS:
        return services.listing_product_class()
    # Staff add further product types in Oscar's dashboard; this one carries the
    # same label attributes, so the listing service has somewhere to put them.
    product_class, _created = ProductClass.objects.get_or_create(
        slug=slugify(name, allow_unicode=True),
        defaults={"name": name, "track_stock": True, "requires_shipping": True},
    )
    for code, label in services.LISTING_ATTRIBUTES:
        ProductAttribute.objects.get_or_create(
            product_class=product_class,
            code=code,
            defaults={"name": str(label), "type": ProductAttribute.TEXT, "required": False},
        )
    return product_class


def _category_spec(name: str) -> dict:
    return next(c for c in load("catalogue")["categories"] if c["name"] == name)


def _listing(*, producer, operator, spec: dict, category_spec: dict, product_class=None):
    """The producer's listing with ``spec["sku"]``, filed now if missing; returns
    (product, created)."""
    existing = Product.objects.filter(
        producer=producer, stockrecords__partner_sku=spec["sku"]
    ).first()
    if existing is not None:
        return existing, False
    product = services.product_listing_create(
        producer=producer,
        actor=operator,
        sku=spec["sku"],
        content=services.ListingContent(
            title=spec["title"],
            description=spec["description"],
            category=create_from_breadcrumbs(category_spec["name"]),
            origin_county=county(spec.get("origin", producer.county.code)),
            attributes={code: spec.get(code, "") for code, _label in services.LISTING_ATTRIBUTES},
        ),
        price=Decimal(spec["price"]),
        num_in_stock=spec["stock"],
        image=pictures.listing_photo(
            code=category_spec["code"],
            colours=category_spec["colours"],
            name=f"{spec['sku'].lower()}.png",
        ),
        product_class=product_class,
    )
    return product, True


def seed_catalogue(*, producers, operators, staff) -> tuple[list, dict[str, Tally]]:
    """Create the missing categories and listings, approving each new listing;
    returns the first listing of each category (the home page's picks) and tallies."""
    categories = load("catalogue")["categories"]
    categories_created = listings_created = 0
    firsts = []
    for category_spec in categories:
        categories_created += not Category.objects.filter(
            depth=1, name=category_spec["name"]
        ).exists()
        product_class = _product_class(category_spec["product_class"])
        for index, spec in enumerate(category_spec["products"]):
            product, created = _listing(
                producer=producers[spec["producer"]],
                operator=operators[spec["producer"]],
                spec=spec,
                category_spec=category_spec,
                product_class=product_class,
            )
            if created:
                services.product_review_approve(product=product, actor=staff)
                listings_created += 1
            if index == 0:
                firsts.append(product)
    total = sum(len(c["products"]) for c in categories)
    return firsts, {
        "categories": Tally(categories_created, len(categories)),
        "products": Tally(listings_created, total),
    }


def seed_listings_in_review(*, producers, operators, staff) -> Tally:
    """The seller's new listings: left waiting for review, or rejected by staff."""
    specs = load("onboarding")["listings"]
    created = 0
    for spec in specs:
        product, was_created = _listing(
            producer=producers[spec["producer"]],
            operator=operators[spec["producer"]],
            spec=spec,
            category_spec=_category_spec(spec["category"]),
        )
        if not was_created:
            continue
        created += 1
        if spec["state"] == ReviewStatus.REJECTED:
            services.product_review_reject(product=product, actor=staff, reason=spec["reason"])
    return Tally(created, len(specs))


def _photo_colours(colours: list[str], index: int) -> list[str]:
    # Each photo of a listing its own picture: the category's gradient, turned, paled.
    return [colours, colours[::-1], [colours[0], "#fdf6e3"]][index % 3]


def seed_multi_spec_listings(*, producers, operators, staff) -> Tally:
    """The multi-spec listings: every 规格 filed with the listing, photos
    added through the workspace's photo service, then approved."""
    specs = load("catalogue")["multi_spec"]
    created = 0
    for spec in specs:
        producer, operator = producers[spec["producer"]], operators[spec["producer"]]
        variants = spec["variants"]
        if Product.objects.filter(
            parent__producer=producer, stockrecords__partner_sku=variants[0]["sku"]
        ).exists():
            continue
        category_spec = _category_spec(spec["category"])
        attributes = {code: spec.get(code, "") for code, _label in services.LISTING_ATTRIBUTES}
        parent = services.product_multi_spec_listing_create(
            producer=producer,
            actor=operator,
            content=services.ListingContent(
                title=spec["title"],
                description=spec["description"],
                category=create_from_breadcrumbs(category_spec["name"]),
                origin_county=county(spec["origin"]),
                attributes=attributes,
            ),
            variants=[
                services.VariantDetails(
                    spec=v["spec"], sku=v["sku"], price=Decimal(v["price"]), num_in_stock=v["stock"]
                )
                for v in variants
            ],
        )
        for index in range(spec["photos"]):
            producer_services.listing_photo_add(
                producer=producer,
                product_id=parent.pk,
                actor=operator,
                image=pictures.listing_photo(
                    code=category_spec["code"],
                    colours=_photo_colours(category_spec["colours"], index),
                    name=f"{variants[0]['sku'].lower()}-{index + 1}.png",
                ),
            )
        services.product_review_approve(product=parent, actor=staff)
        created += 1
    return Tally(created, len(specs))


def seed_featured(products: list) -> Tally:
    # The site's own home page, not its English alias (cms.services.translation_parents_ensure).
    page = source_pages(HomePage.objects.all()).get()
    # Editors may have chosen their own picks since the last run; keep them.
    if page.featured_products.exists():
        return Tally(0, page.featured_products.count())
    page.featured_products = [
        HomePageFeaturedProduct(product=product, sort_order=i) for i, product in enumerate(products)
    ]
    # Publishing a revision keeps the live page and the editor's latest revision
    # in step, so Wagtail's edit form shows the picks too.
    page.save_revision().publish()
    return Tally(len(products), len(products))
