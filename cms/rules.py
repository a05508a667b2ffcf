"""Rules of the page tree and of page content, each in one place: page models'
``can_create_at`` and ``clean``, the admin page forms and the services call them."""

from cms.exceptions import (
    CountyPageOutsideProvince,
    RegionIndexNeedsProvince,
    RegionIndexRootHasRegion,
    StoryPicksOtherProducer,
)


def _region_index(parent):
    """``parent`` as a RegionIndexPage, or None when it is another type."""
    from cms.models import RegionIndexPage

    specific = parent.specific if parent is not None else None
    return specific if isinstance(specific, RegionIndexPage) else None


def region_index_may_be_created_at(*, parent) -> bool:
    """One root (no region) under the home page; province pages under the root only."""
    from cms.models import RegionIndexPage

    index = _region_index(parent)
    if index is None:
        return not RegionIndexPage.objects.filter(region__isnull=True).exists()
    return index.region_id is None


def region_index_check(*, region, parent) -> None:
    index = _region_index(parent)
    if index is None and region is not None:
        raise RegionIndexRootHasRegion()
    if index is not None and region is None:
        raise RegionIndexNeedsProvince()


def county_page_may_be_created_at(*, parent) -> bool:
    """County pages live under a province's page, not under the root."""
    index = _region_index(parent)
    return index is not None and index.region_id is not None


def county_page_check(*, region, parent) -> None:
    index = _region_index(parent)
    if region is None or index is None or index.region_id is None:
        return
    if region.province.pk != index.region_id:
        raise CountyPageOutsideProvince(
            params={"county": region.name, "province": index.region.name}
        )


def story_product_picks_check(*, story) -> None:
    """Every product a story picks belongs to the story's producer."""
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    picked = {
        product.pk
        for block in story.body
        if block.block_type == "product_picks"
        for product in block.value["products"]
        if product is not None
    }
    foreign = Product.objects.filter(pk__in=picked).exclude(producer_id=story.producer_id)
    titles = sorted(foreign.values_list("title", flat=True))
    if titles:
        raise StoryPicksOtherProducer(params={"titles": "、".join(titles)})
