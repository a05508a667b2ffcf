import pytest
from django.core.management import call_command

from cms.models import CountyPage, ProducerStoryPage, RegionIndexPage, StoryIndexPage
from cms.services import producer_pages_ensure
from producers.models import ProducerApplication
from producers.services import producer_application_approve
from tests.factories import ProducerApplicationFactory, ProducerFactory, StaffUserFactory, county

pytestmark = pytest.mark.django_db

Status = ProducerApplication.Status


def _approve(**kwargs):
    application = ProducerApplicationFactory(status=Status.COUNTY_RECOMMENDED, **kwargs)
    return producer_application_approve(application=application, actor=StaffUserFactory())


def test_approval_creates_the_producers_story_as_an_unpublished_draft():
    producer = _approve(name="柞水县金米村木耳专业合作社")

    story = ProducerStoryPage.objects.get(producer=producer)
    assert not story.live
    assert story.title == "柞水县金米村木耳专业合作社"
    assert story.get_parent().specific_class is StoryIndexPage
    assert story.get_latest_revision() is not None


def test_approval_creates_the_county_page_once_published_under_its_province():
    first = _approve()
    _approve()

    page = CountyPage.objects.get()
    assert page.region == first.county
    assert page.live and page.introduction == ""
    province_page = page.get_parent().specific
    assert province_page.region == first.county.province
    assert province_page.live
    chinese = RegionIndexPage.objects.filter(locale__language_code="zh-hans")
    assert chinese.filter(region=first.county.province).count() == 1
    assert ProducerStoryPage.objects.count() == 2
    # The province page's English alias, for editors to translate county pages under.
    english = RegionIndexPage.objects.get(region=first.county.province, locale__language_code="en")
    assert english.alias_of_id == province_page.pk


def test_producers_of_another_county_get_its_own_page_under_the_same_province():
    _approve()
    _approve(county=county("610924"))  # 紫阳县, also in 陕西省

    assert CountyPage.objects.count() == 2
    chinese = RegionIndexPage.objects.filter(locale__language_code="zh-hans")
    assert chinese.filter(region__isnull=False).count() == 1


def test_approving_twice_creates_no_second_page():
    application = ProducerApplicationFactory(status=Status.COUNTY_RECOMMENDED)
    staff = StaffUserFactory()
    producer_application_approve(application=application, actor=staff)
    producer_application_approve(application=application, actor=staff)

    assert ProducerStoryPage.objects.count() == 1
    assert CountyPage.objects.count() == 1


def test_the_command_makes_pages_for_producers_approved_before_pages_existed():
    producer = ProducerFactory()  # no approval, so no signal: as before this change
    assert not ProducerStoryPage.objects.filter(producer=producer).exists()

    call_command("cms_ensure_pages", stdout=None)
    call_command("cms_ensure_pages", stdout=None)

    assert ProducerStoryPage.objects.filter(producer=producer, live=False).count() == 1
    assert CountyPage.objects.filter(region=producer.county).count() == 1
    # The sections and the province page exist in English, for editors to translate under.
    assert RegionIndexPage.objects.filter(
        locale__language_code="en", region=producer.county.province
    ).exists()


def test_a_slug_an_editor_already_used_does_not_block_the_pages():
    producer, other = ProducerFactory(), ProducerFactory()
    StoryIndexPage.objects.get().add_child(
        instance=ProducerStoryPage(title="旧稿", slug=f"producer-{producer.pk}", producer=other)
    )

    story, _county_page = producer_pages_ensure(producer=producer)

    assert story.slug == f"producer-{producer.pk}-2"
