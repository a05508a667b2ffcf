"""Creating the pages that follow from the data: the section indexes, each
producer's story page and each producer county's page. Every function here is
idempotent: what exists is kept as it is, only what is missing is made."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Workflow,
    WorkflowPage,
)

from cms.lock_objects import collection_lock, page_lock
from cms.models import (
    CountyPage,
    CountyReviewTask,
    HomePage,
    NewsIndexPage,
    ProducerImageCollection,
    ProducerStoryPage,
    RegionIndexPage,
    StoryIndexPage,
)
from cms.selectors import default_language, source_pages
from producers.models import CountyReviewer, Producer
from regions.models import Region

logger = logging.getLogger(__name__)

# Page titles are content, not interface text: created in Chinese, the site's
# language, and renamed by editors at will.
STORIES_TITLE, REGIONS_TITLE, NEWS_TITLE = "生产者故事", "县域馆", "消费帮扶动态"


@dataclass(frozen=True)
class IndexPages:
    stories: StoryIndexPage
    regions: RegionIndexPage
    news: NewsIndexPage


def _free_slug(parent: Page, slug: str) -> str:
    """``slug`` or, if an editor already used it under ``parent``, ``slug-2``, ``slug-3``…"""
    candidate, n = slug, 1
    while not Page._slug_is_available(candidate, parent):
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def _ensure(existing, parent: Page, make: Callable[[], Page], *, publish: bool) -> Page:
    """The first page of ``existing`` or, if there is none, a new one made by
    ``make`` under ``parent``, published or left as a draft. The parent row is
    locked and ``existing`` asked again under the lock, so two approvals at once
    make one page."""
    page = existing.first()
    if page is not None:
        return page
    locked_parent = page_lock(pk=parent.pk)
    page = existing.first()
    if page is not None:
        return page
    page = make()
    page.slug = _free_slug(locked_parent, page.slug)
    page.live = False
    locked_parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


@transaction.atomic
def index_pages_ensure() -> IndexPages | None:
    """The three section indexes under the home page, published. None when
    there is no home page to put them under (a database without the cms
    migrations' home page)."""
    home = source_pages(HomePage.objects.all()).first()
    if home is None:
        logger.warning("No home page: story, county and news index pages cannot be created.")
        return None
    stories = _ensure(
        source_pages(StoryIndexPage.objects.all()),
        home,
        lambda: StoryIndexPage(title=STORIES_TITLE, slug="stories"),
        publish=True,
    )
    story_workflow_ensure(index=stories)
    indexes = IndexPages(
        stories=stories,
        regions=_ensure(
            source_pages(RegionIndexPage.objects.filter(region__isnull=True)),
            home,
            lambda: RegionIndexPage(title=REGIONS_TITLE, slug="counties"),
            publish=True,
        ),
        news=_ensure(
            source_pages(NewsIndexPage.objects.all()),
            home,
            lambda: NewsIndexPage(title=NEWS_TITLE, slug="news"),
            publish=True,
        ),
    )
    for index in indexes.__dict__.values():
        translation_parents_ensure(page=index)
    return indexes


def translation_parents_ensure(*, page: Page) -> None:
    """``page`` (a section: story index, news index, a province's 县域馆) in every
    other content language, as an alias of the Chinese page with its parents:
    simple translation copies a story, county or news page only under a
    translated parent, so editors can translate one straight away. Visitors
    never browse these aliases (cms.models.HomePage.route)."""
    others = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    for locale in Locale.objects.filter(language_code__in=others).exclude(
        language_code=default_language()
    ):
        if not page.get_translations().filter(locale=locale).exists():
            page.copy_for_translation(locale, copy_parents=True, alias=True)


def _county_page_ensure(*, county: Region, regions: RegionIndexPage) -> CountyPage:
    """Published at once with an empty introduction: the page's facts (status,
    producers, products, figures) are read from the data and true from day one;
    editors add the text later."""
    province = county.province
    province_page = _ensure(
        source_pages(RegionIndexPage.objects.filter(region=province)),
        regions,
        lambda: RegionIndexPage(title=province.name, slug=province.code, region=province),
        publish=True,
    )
    translation_parents_ensure(page=province_page)
    return _ensure(
        source_pages(CountyPage.objects.filter(region=county)),
        province_page,
        lambda: CountyPage(title=county.name, slug=county.code, region=county),
        publish=True,
    )


@transaction.atomic
def producer_pages_ensure(*, producer: Producer) -> tuple[ProducerStoryPage, CountyPage] | None:
    """The producer's story page, a draft until it is written and published,
    and its county's page. Called on approval (cms.receivers) and for producers
    approved before pages existed (``manage.py cms_ensure_pages``)."""
    indexes = index_pages_ensure()
    if indexes is None:
        return None
    story = _ensure(
        source_pages(ProducerStoryPage.objects.filter(producer=producer)),
        indexes.stories,
        lambda: ProducerStoryPage(
            title=producer.name, slug=f"producer-{producer.pk}", producer=producer
        ),
        publish=False,
    )
    story_editors_sync(producer=producer, story=story)
    county_page = _county_page_ensure(
        county=Region.objects.with_ancestors().get(pk=producer.county_id), regions=indexes.regions
    )
    return story, county_page


def producer_pages_ensure_all() -> int:
    """Pages for every producer that lacks one; returns how many producers needed them.
    Also the English aliases of the sections and province pages that a database
    made before translations lacks (``translation_parents_ensure``)."""
    if index_pages_ensure() is not None:
        for province_page in source_pages(RegionIndexPage.objects.filter(region__isnull=False)):
            with transaction.atomic():
                translation_parents_ensure(page=province_page)
    missing = Producer.objects.filter(story_pages__isnull=True) | Producer.objects.exclude(
        county__county_pages__isnull=False
    )
    count = 0
    for producer in missing.distinct().select_related("partner").order_by("pk"):
        producer_pages_ensure(producer=producer)
        count += 1
    # Producers whose pages predate the editors' groups get theirs.
    for producer in Producer.objects.select_related("partner").order_by("pk"):
        with transaction.atomic():
            story_editors_sync(producer=producer)
    return count


# --- who edits and reviews stories (Wagtail groups and workflow) -------------------

# Names are keys, not interface text (Wagtail shows them to superusers only).
STORY_EDITORS_GROUP = "story-editors-producer-{pk}"
COUNTY_STORY_REVIEWERS_GROUP = "county-story-reviewers"
STORY_WORKFLOW_NAME = "生产者故事审核发布"
COUNTY_REVIEW_TASK_NAME = "县级审核"
EDITOR_TASK_NAME = "平台编辑发布"
EDITOR_GROUP = "Moderators"  # Wagtail's own group with publish permission on the site


def _admin_access() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def story_editors_sync(*, producer: Producer, story: ProducerStoryPage | None = None) -> Group:
    """The producer's own Wagtail group: admin access and change permission on
    its story page and the page's translations, and nothing else there (no add,
    publish, lock); add, choose and change permission on the producer's own
    image collection (plus choose on the shared one); with the users of the
    producer's Oscar partner as members. Called when the page is made, when it
    is translated, and whenever the partner's users change (cms.receivers)."""
    group, _created = Group.objects.get_or_create(name=STORY_EDITORS_GROUP.format(pk=producer.pk))
    group.permissions.add(_admin_access())
    change_page = Permission.objects.get(
        content_type__app_label="wagtailcore", codename="change_page"
    )
    stories = ProducerStoryPage.objects.filter(producer=producer)
    # ``story`` is new and may not be visible to ``stories`` yet in every caller.
    for page in {*stories, *([story] if story is not None else [])}:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=change_page)
    collection_grants = [
        (producer_image_collection_ensure(producer=producer), PRODUCER_IMAGE_PERMS),
        (shared_image_collection_ensure(), SHARED_IMAGE_PERMS),
    ]
    for collection, codenames in collection_grants:
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailimages", codename__in=codenames
        ):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )
    group.user_set.set(producer.partner.users.all())
    return group


# --- whose images are where (Wagtail collections) ------------------------------------

# Collection names are content, like page titles: Chinese, renamed by editors at will.
PRODUCERS_COLLECTION = "生产主体"
SHARED_COLLECTION = "公共图片"
# A producer's users upload, choose and edit (so also delete) the images of
# their own collection; they choose from the shared one, which editors fill.
PRODUCER_IMAGE_PERMS = ("add_image", "choose_image", "change_image")
SHARED_IMAGE_PERMS = ("choose_image",)


def _top_collection(name: str) -> Collection:
    """The collection ``name`` under the root, made if missing (the root locked
    while it is)."""
    root = Collection.get_first_root_node()
    found = root.get_children().filter(name=name).first()
    if found is not None:
        return found
    locked_root = collection_lock(pk=root.pk)
    return locked_root.get_children().filter(name=name).first() or locked_root.add_child(name=name)


@transaction.atomic
def shared_image_collection_ensure() -> Collection:
    """公共图片, under the root collection: images every producer may choose."""
    return _top_collection(SHARED_COLLECTION)


@transaction.atomic
def producer_image_collection_ensure(*, producer: Producer) -> Collection:
    """The producer's own image collection (named after it, under 生产主体),
    made once and linked by ProducerImageCollection, so renaming either keeps it.
    The link is asked again under the parent's lock: two calls at once make one."""
    link = ProducerImageCollection.objects.filter(producer=producer).select_related("collection")
    if link.exists():
        return link.get().collection
    parent = collection_lock(pk=_top_collection(PRODUCERS_COLLECTION).pk)
    if link.exists():
        return link.get().collection
    collection = parent.add_child(name=producer.name)
    ProducerImageCollection.objects.create(producer=producer, collection=collection)
    return collection


def county_story_reviewer_sync(*, user) -> None:
    """County reviewers get admin access through one group, only while they
    review some county; what they see there is their county's stories under
    review (CountyReviewTask)."""
    group, _created = Group.objects.get_or_create(name=COUNTY_STORY_REVIEWERS_GROUP)
    group.permissions.add(_admin_access())
    # Nothing from any collection: not even "choose", which Wagtail's migrations
    # give every group with admin access (cms migration 0008).
    GroupCollectionPermission.objects.filter(group=group).delete()
    if CountyReviewer.objects.filter(user=user).exists():
        user.groups.add(group)
    else:
        user.groups.remove(group)


def story_workflow_ensure(*, index: StoryIndexPage) -> Workflow:
    """The stories' publishing workflow on the story index: county review, then
    a platform editor (Wagtail's Moderators group) approves, which publishes."""
    workflow_page = WorkflowPage.objects.filter(page=index).select_related("workflow").first()
    if workflow_page is not None:
        return workflow_page.workflow
    workflow = Workflow.objects.filter(name=STORY_WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=STORY_WORKFLOW_NAME)
        county_task = CountyReviewTask.objects.create(name=COUNTY_REVIEW_TASK_NAME)
        editor_task = GroupApprovalTask.objects.create(name=EDITOR_TASK_NAME)
        editor_task.groups.set(Group.objects.filter(name=EDITOR_GROUP))
        workflow.workflow_tasks.create(task=county_task, sort_order=0)
        workflow.workflow_tasks.create(task=editor_task, sort_order=1)
    WorkflowPage.objects.create(page=index, workflow=workflow)
    return workflow
