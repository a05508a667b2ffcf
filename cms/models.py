"""The page tree (every type names its parents and children):

HomePage
├── StoryIndexPage (生产者故事)      → ProducerStoryPage, one per Producer
├── RegionIndexPage (县域馆, no region) → RegionIndexPage, one per province
│                                        → CountyPage, one per county
└── NewsIndexPage (消费帮扶动态)      → NewsPage

Translations (WAGTAIL_I18N_ENABLED, wagtail.contrib.simple_translation): an
editor's English translation of a page is a copy in the ``en`` locale, under an
English alias of the home page. Visitors never browse that tree: every address
routes through the Chinese tree (``HomePage.route``) and a story, county or news
page then shows its live translation in the visitor's language, if there is one
(``TranslatedServing``). One address per page whatever the language; ``?lang=en``
pins the language of a shared link (marketplace.middleware).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, Task, TaskState

from cms.blocks import NewsBodyBlock, StoryBodyBlock, stream_text
from cms.exceptions import CmsRuleBroken
from cms.forms import CountyPageForm, RegionIndexPageForm
from regions.models import Region


class HomePage(Page):
    """The storefront's front page; editors set the hero and pick featured products."""

    hero_title = models.CharField(
        _("主标题"), max_length=80, default=_("买脱贫地区好物，助乡村振兴")
    )
    hero_text = models.TextField(
        _("导语"),
        blank=True,
        default=_("每一份订单都直接带动脱贫县的合作社和农户增收。"),
    )
    hero_cta_text = models.CharField(_("按钮文字"), max_length=30, default=_("逛逛全部商品"))

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_cta_text")],
            heading=_("首屏"),
        ),
        InlinePanel("featured_products", label=_("推荐商品"), max_num=12),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.StoryIndexPage", "cms.RegionIndexPage", "cms.NewsIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("首页")

    def route(self, request, path_components):
        # Wagtail starts at the home page's translation in the visitor's language
        # (its English alias once anything is translated); the site is browsed
        # through the Chinese tree whatever the language, so that an untranslated
        # page is found too and each page keeps one address.
        from cms.selectors import translation_source

        source = translation_source(page=self)
        if source is not None and source.pk != self.pk:
            return source.specific.route(request, path_components)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import (
            home_county_pages,
            home_stories,
            homepage_featured_products,
            impact_counters_recent,
            pages_in_language,
        )

        ctx = super().get_context(request, *args, **kwargs)
        language = translation.get_language()
        # Lazy: the blocks that show them are cached
        # under the catalogue version (templates/cms/home_page.html), which
        # product changes and page publishing bump; a hit never asks.
        ctx["featured_products"] = SimpleLazyObject(lambda: homepage_featured_products(page=self))
        ctx["stories"] = SimpleLazyObject(
            lambda: pages_in_language(pages=home_stories(), language=language)
        )
        ctx["county_pages"] = SimpleLazyObject(
            lambda: pages_in_language(pages=home_county_pages(), language=language)
        )
        ctx["impact"] = impact_counters_recent()
        return ctx


class HomePageFeaturedProduct(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_products")
    product = models.ForeignKey(
        "catalogue.Product", verbose_name=_("商品"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("product")]

    class Meta(Orderable.Meta):
        verbose_name = _("推荐商品")
        verbose_name_plural = _("推荐商品")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "product"], name="homepage_featured_product_once"
            ),
        ]


def _one_per_language(page, field: str) -> None:
    from cms.rules import page_one_per_language_check

    try:
        page_one_per_language_check(page=page, field=field)
    except CmsRuleBroken as error:
        raise ValidationError({field: str(error)}, code=error.code) from error


class TranslatedServing:
    """A page that shows its live translation in the visitor's language, if any,
    at its own (the Chinese page's) address, with hreflang alternates and a
    canonical address per language (cms.selectors.page_language_versions)."""

    def serve(self, request, *args, **kwargs):
        from cms.selectors import page_in_language

        shown = page_in_language(page=self, language=translation.get_language())
        if shown.pk != self.pk:
            return shown.serve(request, *args, **kwargs)
        return super().serve(request, *args, **kwargs)

    def get_url_parts(self, request=None):
        """A translation's address is its Chinese page's, with its language
        (``path_in_language``): the tree visitors browse is the Chinese one."""
        from cms.selectors import path_in_language, translation_source

        source = translation_source(page=self)
        if source is None or source.pk == self.pk:
            return super().get_url_parts(request=request)
        parts = source.get_url_parts(request=request)
        if parts is None:
            return None
        site_id, root_url, path = parts
        return site_id, root_url, path_in_language(path=path, language=self.locale.language_code)

    def get_sitemap_urls(self, request=None):
        """The page and, if it is translated, each language's address, every
        entry with the others as ``xhtml:link`` alternates."""
        from cms.selectors import page_language_versions

        urls = super().get_sitemap_urls(request=request)
        alternates = [
            {"lang_code": code, "location": location}
            for code, location in page_language_versions(page=self).alternates
        ]
        if not alternates:
            return urls
        lastmod = urls[0]["lastmod"]
        return [
            {"location": alternate["location"], "lastmod": lastmod, "alternates": alternates}
            for alternate in alternates
            if alternate["lang_code"] != "x-default"
        ]

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import page_language_versions

        context = super().get_context(request, *args, **kwargs)
        versions = page_language_versions(page=self)
        context["language_versions"] = versions.alternates
        if versions.canonical:
            context["canonical_url"] = versions.canonical
        return context


class StoryIndexPage(Page):
    """生产者故事: the published stories, newest first."""

    intro = models.TextField(_("导语"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ProducerStoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("生产者故事栏目")

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import pages_in_language, stories_published

        context = super().get_context(request, *args, **kwargs)
        context["stories"] = pages_in_language(
            pages=stories_published(), language=translation.get_language()
        )
        return context


class ProducerStoryPage(TranslatedServing, Page):
    """A producer's own story, one per producer, created as a draft when the
    producer is approved (cms.services.producer_pages_ensure)."""

    # One story per producer and language (cms.rules.page_one_per_language_check;
    # the locale is on Wagtail's page table, so no database constraint can say it).
    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产主体"),
        on_delete=models.PROTECT,
        related_name="story_pages",
    )
    intro = models.TextField(
        _("导语"), max_length=300, blank=True, help_text=_("一两句话，显示在故事列表和页面开头。")
    )
    body = StreamField(StoryBodyBlock(), verbose_name=_("正文"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("producer"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    parent_page_types = ["cms.StoryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("生产者故事")
        verbose_name_plural = _("生产者故事")

    def clean(self):
        from cms.rules import page_one_per_language_check, story_product_picks_check

        super().clean()
        if self.producer_id:
            try:
                page_one_per_language_check(page=self, field="producer")
                story_product_picks_check(story=self)
            except CmsRuleBroken as error:
                raise ValidationError(str(error), code=error.code) from error

    def get_workflow(self):
        """A translation is reviewed and published like its Chinese story: by
        the county's reviewer, then a platform editor."""
        from cms.selectors import translation_source

        source = translation_source(page=self)
        if source is not None and source.pk != self.pk:
            return source.get_workflow()
        return super().get_workflow()

    def permissions_for_user(self, user):
        from cms.rules import StoryPermissionTester

        return StoryPermissionTester(user, self)

    def search_text(self) -> str:
        """What site search finds the story by (search.pages)."""
        from cms.selectors import story_producer

        producer = story_producer(producer_id=self.producer_id)
        return " ".join(
            [producer.name, producer.county.full_name, self.intro, *stream_text(self.body)]
        )

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import story_producer

        # The blocks read the producer from the page: load it once, with what the header shows.
        self.producer = story_producer(producer_id=self.producer_id)
        return super().get_context(request, *args, **kwargs)


class RegionIndexPage(Page):
    """县域馆. The root (no region) lists the provinces; a province's page
    (its region, one page per province, under the root) lists its counties.

    One type for both levels keeps the tree as people browse it — 县域馆 →
    陕西省 → 柞水县 — and the URL short (/counties/610000/611026/)."""

    region = models.ForeignKey(
        Region,
        verbose_name=_("省份"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="region_index_pages",
        limit_choices_to={"level": Region.Level.PROVINCE},
        help_text=_("县域馆总页留空；各省页面选择省份。"),
    )
    intro = models.TextField(_("导语"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("region"), FieldPanel("intro")]
    base_form_class = RegionIndexPageForm

    parent_page_types = ["cms.HomePage", "cms.RegionIndexPage"]
    subpage_types = ["cms.RegionIndexPage", "cms.CountyPage"]

    class Meta:
        verbose_name = _("县域馆（省份）")
        verbose_name_plural = _("县域馆（省份）")

    def clean(self):
        super().clean()
        _one_per_language(self, "region")

    @classmethod
    def can_create_at(cls, parent):
        from cms.rules import region_index_may_be_created_at

        return super().can_create_at(parent) and region_index_may_be_created_at(parent=parent)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["child_pages"] = self.get_children().live().specific().order_by("title")
        return context


class CountyPage(TranslatedServing, Page):
    """县域馆 of one county: created (published, introduction empty) when the
    county's first producer is approved; editors write the introduction. What
    the county sells and has sold is read live."""

    region = models.ForeignKey(
        Region,
        verbose_name=_("县（区）"),
        on_delete=models.PROTECT,
        related_name="county_pages",
        limit_choices_to={"level": Region.Level.COUNTY},
    )
    introduction = RichTextField(
        _("县情介绍"), blank=True, features=["h3", "bold", "italic", "ol", "ul", "link"]
    )

    content_panels = Page.content_panels + [FieldPanel("region"), FieldPanel("introduction")]
    base_form_class = CountyPageForm

    parent_page_types = ["cms.RegionIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("县域馆")
        verbose_name_plural = _("县域馆")

    def clean(self):
        super().clean()
        _one_per_language(self, "region")

    @classmethod
    def can_create_at(cls, parent):
        from cms.rules import county_page_may_be_created_at

        return super().can_create_at(parent) and county_page_may_be_created_at(parent=parent)

    def search_text(self) -> str:
        """What site search finds the county pavilion by (search.pages)."""
        region = Region.objects.with_ancestors().get(pk=self.region_id)
        return " ".join([region.full_name, strip_tags(self.introduction)])

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import county_showcase, pages_in_language

        context = super().get_context(request, *args, **kwargs)
        context["showcase"] = showcase = county_showcase(region_id=self.region_id)
        pages_in_language(pages=showcase.stories, language=translation.get_language())
        return context


class NewsIndexPage(Page):
    """消费帮扶动态: programme announcements, newest first."""

    intro = models.TextField(_("导语"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("消费帮扶动态栏目")

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import pages_in_language

        context = super().get_context(request, *args, **kwargs)
        context["news"] = pages_in_language(
            pages=NewsPage.objects.child_of(self).live().order_by("-date", "-pk"),
            language=translation.get_language(),
        )
        return context


class NewsPage(TranslatedServing, Page):
    date = models.DateField(_("发布日期"))
    intro = models.TextField(_("摘要"), max_length=300, blank=True)
    body = StreamField(NewsBodyBlock(), verbose_name=_("正文"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("消费帮扶动态")
        verbose_name_plural = _("消费帮扶动态")


class CountyReviewTask(Task):
    """县级审核, the first step of a story's publishing workflow: the county
    reviewers (producers.CountyReviewer) of the story's producer's county, and
    only they, open the story, approve it or request changes. Every other
    kind of page passes to no one but superusers."""

    admin_form_fields = Task.admin_form_fields

    def _reviews(self, obj, user) -> bool:
        from cms.rules import story_reviewable_by

        return bool(user.is_superuser or story_reviewable_by(page=obj, user=user))

    def user_can_access_editor(self, obj, user):
        return self._reviews(obj, user)

    def locked_for_user(self, obj, user):
        return not self._reviews(obj, user)

    def get_actions(self, obj, user):
        if self._reviews(obj, user):
            return [
                ("reject", _("退回修改"), True),
                ("approve", _("审核通过"), False),
                ("approve", _("审核通过并留言"), True),
            ]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from cms.selectors import stories_reviewable_by

        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return states
        story_ids = [
            str(pk) for pk in stories_reviewable_by(user=user).values_list("pk", flat=True)
        ]
        return states.filter(workflow_state__object_id__in=story_ids)

    @classmethod
    def get_description(cls):
        return _("生产主体所在县的县级审核人审核本县的生产者故事。")

    class Meta:
        verbose_name = _("县级审核")
        verbose_name_plural = _("县级审核")


class ProducerImageCollection(models.Model):
    """The Wagtail collection that holds a producer's images: its story
    editors upload and choose there and nowhere else
    (cms.services.producer_image_collection_ensure)."""

    producer = models.OneToOneField(
        "producers.Producer",
        verbose_name=_("生产主体"),
        on_delete=models.PROTECT,
        related_name="image_collection",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("图片集"),
        on_delete=models.PROTECT,
        related_name="producer_link",
    )

    class Meta:
        verbose_name = _("生产主体图片集")
        verbose_name_plural = _("生产主体图片集")

    def __str__(self) -> str:
        return self.collection.name
