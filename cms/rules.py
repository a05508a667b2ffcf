"""Rules of the page tree and of page content, each in one place: page models'
``can_create_at`` and ``clean``, the admin page forms and the services call them."""

from django.core.exceptions import PermissionDenied
from wagtail.models import PagePermissionTester

from cms.exceptions import (
    CountyPageOutsideProvince,
    PageExistsInLanguage,
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


def page_one_per_language_check(*, page, field: str) -> None:
    """One story per producer, one page per county or province, in each
    language: translations share the producer or region of their Chinese page."""
    value = getattr(page, f"{field}_id")
    if value is None:
        return
    same = type(page).objects.filter(locale_id=page.locale_id, **{f"{field}_id": value})
    if page.pk is not None:
        same = same.exclude(pk=page.pk)
    if same.exists():
        raise PageExistsInLanguage()


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


# --- who does what with a producer's story (Wagtail admin) -------------------------

# Wagtail's own groups whose members edit the whole site (its initial data).
SITE_EDITOR_GROUPS = ("Editors", "Moderators")


def cms_admin_is_limited(user) -> bool:
    """A producer's user or a county reviewer in the Wagtail admin, as opposed
    to a superuser or a member of the site's editor groups: they see only the
    pages menu and the pages they were given."""
    if not user.is_authenticated or user.is_superuser:
        return False
    return not user.groups.filter(name__in=SITE_EDITOR_GROUPS).exists()


def story_reviewable_by(*, page, user) -> bool:
    """Whether ``user`` reviews ``page`` as a county reviewer: it is a producer
    story and its producer's county is one of the user's counties."""
    from cms.selectors import stories_reviewable_by

    return stories_reviewable_by(user=user).filter(pk=page.pk).exists()


def story_may_be_restructured_by(*, page, user) -> bool:
    """Deleting, moving, copying a story page: only for those who may publish it.
    A producer's users edit their story (Wagtail lets an editor without publish
    permission delete a draft page; that would lose the producer's story)."""
    if user.is_superuser:
        return True
    return "publish" in getattr(PagePermissionTester(user, page), "permissions", set())


def story_restructure_check(*, page, user) -> None:
    from cms.models import ProducerStoryPage

    if page.specific_class is ProducerStoryPage and not story_may_be_restructured_by(
        page=page, user=user
    ):
        raise PermissionDenied


class StoryPermissionTester(PagePermissionTester):
    """Wagtail's page permissions, less deleting and moving for those who may not
    publish the story (``story_may_be_restructured_by``); hides those actions."""

    def can_delete(self, ignore_bulk=False):
        return super().can_delete(ignore_bulk=ignore_bulk) and story_may_be_restructured_by(
            page=self.page, user=self.user
        )

    def can_copy(self):
        return super().can_copy() and story_may_be_restructured_by(page=self.page, user=self.user)
