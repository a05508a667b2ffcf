from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

from catalogue.selectors import products_for_listing
from common.figures import COUNTY_AGENCY_SALES, figure_compute
from producers.models import BenefitLinkage, Producer
from producers.selectors import benefit_linkage_latest, reviewer_county_ids
from regions.models import Region

Category = get_model("catalogue", "Category")
Line = get_model("order", "Line")

# How many product cards a county page shows; the search link shows them all.
COUNTY_PRODUCTS_SHOWN = 12

# Consumer orders count as sales once paid, and keep counting when shipped and
# completed; cancelled and unpaid ones do not.
SOLD_ORDER_STATUSES = (
    settings.ORDER_STATUS_PAID,
    settings.ORDER_STATUS_SHIPPED,
    settings.ORDER_STATUS_COMPLETE,
)


def homepage_featured_products(*, page) -> list:
    """Featured products in the editor's order, skipping any no longer browsable."""
    ids = list(page.featured_products.order_by("sort_order").values_list("product_id", flat=True))
    by_id = {p.pk: p for p in products_for_listing().filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


# --- stories --------------------------------------------------------------------


def stories_published():
    from cms.models import ProducerStoryPage

    return (
        ProducerStoryPage.objects.live()
        .select_related("producer__partner", "producer__county__parent__parent")
        .order_by("-first_published_at", "-pk")
    )


def stories_reviewable_by(*, user):
    """Story pages of the counties ``user`` reviews for (producers.CountyReviewer)."""
    from cms.models import ProducerStoryPage

    if not user.is_authenticated:
        return ProducerStoryPage.objects.none()
    return ProducerStoryPage.objects.filter(producer__county_id__in=reviewer_county_ids(user=user))


def stories_editable_by(*, user):
    """The story pages of the producers ``user`` works for."""
    from cms.models import ProducerStoryPage

    if not user.is_authenticated:
        return ProducerStoryPage.objects.none()
    return ProducerStoryPage.objects.filter(producer__partner__users=user)


def story_producer(*, producer_id: int) -> Producer:
    return Producer.objects.select_related("partner", "county__parent__parent").get(pk=producer_id)


def story_product_picks(*, producer_id: int | None, product_ids: list[int]) -> list:
    """The picked products, in the writer's order, that belong to the story's
    producer and that the public may see now (the catalogue's visibility rule,
    through ``products_for_listing``), with their current prices and stock."""
    if producer_id is None or not product_ids:
        return []
    by_id = {
        product.pk: product
        for product in products_for_listing().filter(pk__in=product_ids, producer_id=producer_id)
    }
    return [by_id[pk] for pk in product_ids if pk in by_id]


def story_benefit_linkage(*, producer_id: int | None) -> BenefitLinkage | None:
    if producer_id is None:
        return None
    return benefit_linkage_latest(producer=Producer(pk=producer_id))


# --- county pages -----------------------------------------------------------------


def county_consumer_sales(*, region: Region) -> Decimal:
    """Consumer purchases of products from the county to date: paid, shipped and
    completed order lines whose product (a variant: its parent) originates there."""
    return Line.objects.filter(
        Q(product__origin_county=region) | Q(product__parent__origin_county=region),
        order__status__in=SOLD_ORDER_STATUSES,
    ).aggregate(
        total=Coalesce(
            Sum("line_price_incl_tax"),
            Value(Decimal("0.00")),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
    )["total"]


@dataclass(frozen=True)
class CountyShowcase:
    region: Region
    producers: list
    products: list
    product_count: int
    stories: list
    consumer_sales: Decimal
    agency_sales: Decimal | None

    @property
    def producer_count(self) -> int:
        return len(self.producers)

    @property
    def more_products(self) -> bool:
        return self.product_count > len(self.products)


def county_showcase(*, region_id: int) -> CountyShowcase:
    """What a county page shows beside the editors' text, read live: its key-
    assistance status (on the region), its approved producers, the browsable
    products from the county (the first ``COUNTY_PRODUCTS_SHOWN``) and their
    number, its producers' published stories, and sales to consumers and to
    agencies to date. A fixed number of queries whatever the county holds."""
    region = Region.objects.with_ancestors().get(pk=region_id)
    products = products_for_listing().filter(origin_county=region).order_by("-date_created", "-pk")
    return CountyShowcase(
        region=region,
        # Every Producer is an approved one: an application becomes one only on approval.
        producers=list(Producer.objects.filter(county=region).select_related("partner")),
        products=list(products[:COUNTY_PRODUCTS_SHOWN]),
        product_count=products.count(),
        stories=list(stories_published().filter(producer__county=region)),
        consumer_sales=county_consumer_sales(region=region),
        agency_sales=figure_compute(COUNTY_AGENCY_SALES, county=region),
    )
