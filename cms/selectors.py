from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model
from wagtail.coreutils import get_supported_content_language_variant

from catalogue.cache import storefront_block_get, storefront_cache_key, storefront_cache_seconds
from catalogue.selectors import products_for_listing
from common.figures import COUNTY_AGENCY_SALES, figure_compute
from common.sites import LANGUAGE_QUERY_PARAMETER, site_url
from producers.models import BenefitLinkage, Producer
from producers.selectors import (
    benefit_linkage_latest,
    producers_supported_by_order,
    reviewer_county_ids,
)
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


# --- languages ------------------------------------------------------------------


def default_language() -> str:
    """The language of the site's own pages (zh-hans), without a query."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def _language_of(page) -> str:
    return page.locale.language_code


def page_in_language(*, page, language: str):
    """What a visitor in ``language`` sees at a Chinese page's address: its live
    translation in that language if there is one, else the page itself."""
    if language == default_language() or _language_of(page) != default_language():
        return page
    translation = (
        page.get_translations().live().filter(locale__language_code=language).specific().first()
    )
    return translation or page


def path_in_language(*, path: str, language: str) -> str:
    """A page's address in ``language``: the Chinese page's path, pinned to
    another language by ``?lang=<code>`` (marketplace.middleware)."""
    if language == default_language():
        return path
    return f"{path}?{LANGUAGE_QUERY_PARAMETER}={language}"


def translation_source(*, page):
    """The Chinese page that ``page`` translates (``page`` itself if it is one),
    or None if the Chinese page is gone."""
    if _language_of(page) == default_language():
        return page
    return page.get_translations().filter(locale__language_code=default_language()).first()


@dataclass(frozen=True)
class LanguageVersions:
    canonical: str  # the absolute address of the version shown
    alternates: list[tuple[str, str]]  # (hreflang, absolute address), "x-default" last


def page_language_versions(*, page) -> LanguageVersions:
    """The languages a page is published in, each at the page's one address (the
    Chinese page's path, ``path_in_language``), and which of them is canonical
    for ``page``. A page without a live translation lists no alternates."""
    source = translation_source(page=page)
    parts = source.get_url_parts() if source is not None else None
    if parts is None or parts[2] is None:
        return LanguageVersions(canonical="", alternates=[])
    path = parts[2]
    languages = list(
        page.get_translations(inclusive=True)
        .live()
        .order_by("locale__language_code")
        .values_list("locale__language_code", flat=True)
    )
    alternates = []
    if len(languages) > 1:
        alternates = [
            (code, site_url(path_in_language(path=path, language=code))) for code in languages
        ]
        alternates.append(("x-default", site_url(path)))
    return LanguageVersions(
        canonical=site_url(path_in_language(path=path, language=_language_of(page))),
        alternates=alternates,
    )


# What a card of a page (story, county, news) shows besides its address.
CARD_FIELDS = ("title", "intro", "search_description")


def pages_in_language(*, pages: list, language: str) -> list:
    """``pages`` (Chinese pages, in order) as cards in ``language``: each
    carries its live translation's title and introduction where there is one,
    and keeps its own address, which shows the visitor the translation. One
    query however many pages (none in Chinese)."""
    pages = list(pages)
    if not pages or language == default_language():
        return pages
    model = type(pages[0])
    translations = {
        page.translation_key: page
        for page in model.objects.live().filter(
            locale__language_code=language,
            translation_key__in=[page.translation_key for page in pages],
        )
    }
    for page in pages:
        translation = translations.get(page.translation_key)
        for field in CARD_FIELDS if translation is not None else ():
            if hasattr(translation, field):
                setattr(page, field, getattr(translation, field))
    return pages


def source_pages(queryset):
    """Pages in the site's own language (Chinese), with their locale: the tree
    visitors browse; translations are shown in place of their source
    (``page_in_language``)."""
    return queryset.filter(locale__language_code=default_language()).select_related("locale")


# --- stories --------------------------------------------------------------------


def stories_published():
    from cms.models import ProducerStoryPage

    return (
        source_pages(ProducerStoryPage.objects.live())
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


def story_published_of(*, producer_id: int | None):
    """The producer's story if it is published (live), else None: a draft is
    never linked from the shop."""
    from cms.models import ProducerStoryPage

    if producer_id is None:
        return None
    return source_pages(ProducerStoryPage.objects.live()).filter(producer_id=producer_id).first()


def products_pickable_by(*, user):
    """The products ``user`` may pick for a story in the admin's chooser: every
    product for the site's editors, only those of the user's own producers for a
    producer's user (the story rule, story_product_picks_check, refuses the rest
    on save), none for anyone else (county reviewers, the anonymous)."""
    from cms.rules import cms_admin_is_limited

    Product = get_model("catalogue", "Product")
    if not user.is_authenticated:
        return Product.objects.none()
    if not cms_admin_is_limited(user):
        return Product.objects.all()
    return Product.objects.filter(producer__partner__users=user)


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


# --- home page --------------------------------------------------------------------

# How many stories and county pavilions the home page shows.
HOME_STORIES_SHOWN = 6
HOME_COUNTIES_SHOWN = 12


@dataclass(frozen=True)
class ImpactCounters:
    households: int  # formerly poor households reached, by each producer's latest verified year
    counties: int  # counties with at least one approved producer
    producers: int
    key_county_sales: Decimal  # consumer sales of products from key-assistance counties


# How old the home page's figures may be: a payment changes them without any
# change to the catalogue, so they are kept for a minute only.
IMPACT_CACHE_SECONDS = 60


def impact_counters_recent() -> ImpactCounters:
    """``impact_counters`` as of at most a minute ago (or the last catalogue
    change, whichever is later): the home page shows them to every visitor."""
    return cache.get_or_set(
        storefront_cache_key("home-impact"), impact_counters, IMPACT_CACHE_SECONDS
    )


def impact_counters() -> ImpactCounters:
    """The home page's live figures, in four queries however much the shop holds.

    Households count only verified linkage: for each producer its latest
    verified year (an unverified figure is the producer's word, not the
    platform's)."""
    # Newest year first per producer; the first row of each producer counts.
    # (Python, not DISTINCT ON: the database backend may be SQLite.)
    latest_verified: dict[int, int] = {}
    for producer_id, households in (
        BenefitLinkage.objects.filter(is_verified=True)
        .order_by("producer_id", "-year")
        .values_list("producer_id", "total_households")
    ):
        latest_verified.setdefault(producer_id, households)
    key_sales = Line.objects.filter(
        Q(product__origin_county__is_key_assistance_county=True)
        | Q(product__parent__origin_county__is_key_assistance_county=True),
        order__status__in=SOLD_ORDER_STATUSES,
    ).aggregate(
        total=Coalesce(
            Sum("line_price_incl_tax"),
            Value(Decimal("0.00")),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
    )["total"]
    producers = Producer.objects.aggregate(
        producers=Count("pk"), counties=Count("county_id", distinct=True)
    )
    return ImpactCounters(
        households=sum(latest_verified.values()),
        counties=producers["counties"],
        producers=producers["producers"],
        key_county_sales=key_sales,
    )


def home_stories(*, limit: int = HOME_STORIES_SHOWN) -> list:
    """The latest published stories, newest first."""
    return list(stories_published()[:limit])


def home_county_pages(*, limit: int = HOME_COUNTIES_SHOWN) -> list:
    """Published county pavilions, the most recently published first."""
    from cms.models import CountyPage

    return list(
        source_pages(CountyPage.objects.live())
        .select_related("region__parent__parent")
        .order_by("-first_published_at", "-pk")[:limit]
    )


# --- orders -----------------------------------------------------------------------


@dataclass(frozen=True)
class OrderSupportEntry:
    producer: Producer
    verified_linkage: BenefitLinkage | None
    story: object | None  # the published ProducerStoryPage
    story_path: str  # its path on the site, for e-mails to make absolute; "" without a story


@dataclass(frozen=True)
class OrderSupport:
    counties: list[Region]
    producers: list[OrderSupportEntry]


def order_support(*, order) -> OrderSupport:
    """Which counties and producers an order supported, each producer with its
    verified household figure (producers selectors) and its published story:
    told on the confirmation page, in the e-mail and on the order page.
    Three queries whatever the order holds."""
    from cms.models import ProducerStoryPage

    supported = producers_supported_by_order(order=order)
    stories = (
        {
            story.producer_id: story
            for story in source_pages(ProducerStoryPage.objects.live()).filter(
                producer_id__in=[s.producer.pk for s in supported]
            )
        }
        if supported
        else {}
    )
    entries = []
    counties: dict[int, Region] = {}
    for item in supported:
        story = stories.get(item.producer.pk)
        path = story.get_url_parts()[2] if story is not None else ""
        entries.append(
            OrderSupportEntry(
                producer=item.producer,
                verified_linkage=item.verified_linkage,
                story=story,
                story_path=path or "",
            )
        )
        counties.setdefault(item.producer.county_id, item.producer.county)
    return OrderSupport(counties=list(counties.values()), producers=entries)


def home_route(*, request):
    """Wagtail's site and route for the home page (``/``) of this request's
    host, in the active language: what ``Site.find_for_request`` and
    ``Page.route_for_request`` work out with several queries on every request,
    kept in the storefront cache under the catalogue version. Publishing or
    unpublishing a page, saving the home page and changing a Wagtail site bump
    that version (cms.receivers), so a change routes at once.

    Returns ``(site, route)``, route being Wagtail's ``(page, args, kwargs)``
    or None when nothing is served at ``/`` (no site, or the home page is not
    live)."""
    from wagtail.models import Page, Site

    host = request._get_raw_host()  # as Wagtail matches it, before ALLOWED_HOSTS
    key = storefront_cache_key("home-route", host, request.get_port())
    cached = storefront_block_get(key)  # with the page's blocks, in one read
    if cached is None:
        site = Site.find_for_request(request)
        route = Page.route_for_request(request, "")
        cached = (site, route)
        cache.set(key, cached, storefront_cache_seconds())
    return cached
