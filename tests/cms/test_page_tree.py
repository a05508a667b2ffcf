import pytest
from django.urls import reverse

from cms.exceptions import (
    CountyPageOutsideProvince,
    RegionIndexNeedsProvince,
    RegionIndexRootHasRegion,
)
from cms.models import (
    CountyPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    ProducerStoryPage,
    RegionIndexPage,
    StoryIndexPage,
)
from cms.rules import county_page_check, region_index_check
from cms.services import producer_pages_ensure
from tests.factories import ProducerFactory, StaffUserFactory, county
from tests.factories.cms import county_page

pytestmark = pytest.mark.django_db

ZHASHUI, ZIYANG, HUANGPU = "611026", "610924", "310101"  # 陕西 柞水, 陕西 紫阳, 上海 黄浦


def test_migrations_put_the_three_sections_under_the_home_page():
    home = HomePage.objects.get()
    children = {type(page) for page in home.get_children().specific()}
    assert children == {StoryIndexPage, RegionIndexPage, NewsIndexPage}
    assert all(page.live for page in home.get_children())
    assert RegionIndexPage.objects.get().region is None


@pytest.mark.parametrize(
    "model, parents",
    [
        (StoryIndexPage, [HomePage]),
        (ProducerStoryPage, [StoryIndexPage]),
        (RegionIndexPage, [HomePage, RegionIndexPage]),
        (CountyPage, [RegionIndexPage]),
        (NewsIndexPage, [HomePage]),
        (NewsPage, [NewsIndexPage]),
    ],
)
def test_every_page_type_names_its_parents(model, parents):
    assert set(model.allowed_parent_page_models()) == set(parents)


@pytest.mark.parametrize(
    "model, children",
    [
        (HomePage, [StoryIndexPage, RegionIndexPage, NewsIndexPage]),
        (StoryIndexPage, [ProducerStoryPage]),
        (ProducerStoryPage, []),
        (RegionIndexPage, [RegionIndexPage, CountyPage]),
        (CountyPage, []),
        (NewsIndexPage, [NewsPage]),
        (NewsPage, []),
    ],
)
def test_every_page_type_names_its_children(model, children):
    assert set(model.allowed_subpage_models()) == set(children)


def test_sections_exist_once_under_the_home_page():
    home = HomePage.objects.get()
    for model in (StoryIndexPage, RegionIndexPage, NewsIndexPage):
        assert not model.can_create_at(home)


def test_stories_and_news_go_only_under_their_index():
    home = HomePage.objects.get()
    stories, news = StoryIndexPage.objects.get(), NewsIndexPage.objects.get()
    assert ProducerStoryPage.can_create_at(stories)
    assert not ProducerStoryPage.can_create_at(news)
    assert not ProducerStoryPage.can_create_at(home)
    assert NewsPage.can_create_at(news)
    assert not NewsPage.can_create_at(stories)


def test_provinces_under_the_root_counties_under_a_province():
    root = RegionIndexPage.objects.get(region=None)
    province_page = county_page(ProducerFactory(county=county(ZHASHUI))).get_parent().specific
    assert RegionIndexPage.can_create_at(root)
    assert not CountyPage.can_create_at(root)
    assert CountyPage.can_create_at(province_page)
    assert not RegionIndexPage.can_create_at(province_page)


def test_region_pages_take_the_region_of_their_level():
    home, root = HomePage.objects.get(), RegionIndexPage.objects.get(region=None)
    zhashui = county(ZHASHUI)
    with pytest.raises(RegionIndexRootHasRegion):
        region_index_check(region=zhashui.province, parent=home)
    with pytest.raises(RegionIndexNeedsProvince):
        region_index_check(region=None, parent=root)
    region_index_check(region=zhashui.province, parent=root)


def test_a_county_page_goes_under_its_own_province():
    shaanxi = county_page(ProducerFactory(county=county(ZHASHUI))).get_parent()
    county_page_check(region=county(ZIYANG), parent=shaanxi)
    with pytest.raises(CountyPageOutsideProvince) as refused:
        county_page_check(region=county(HUANGPU), parent=shaanxi)
    assert refused.value.code == "county_page_outside_province"


def test_the_admin_refuses_a_county_page_under_another_province(client):
    shaanxi = county_page(ProducerFactory(county=county(ZHASHUI))).get_parent()
    huangpu = county(HUANGPU)
    client.force_login(StaffUserFactory(is_superuser=True))
    url = reverse("wagtailadmin_pages:add", args=("cms", "countypage", shaanxi.pk))
    response = client.post(url, {"title": "黄浦区", "slug": "310101", "region": huangpu.pk})
    assert response.status_code == 200
    assert not CountyPage.objects.filter(region=huangpu).exists()
    assert "不属于" in response.content.decode()


def test_staff_open_a_story_and_a_county_page_in_the_admin(client):
    producer = ProducerFactory(county=county(ZHASHUI))
    story, county_page_ = producer_pages_ensure(producer=producer)
    client.force_login(StaffUserFactory(is_superuser=True))
    for page in (story, county_page_):
        response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
        assert response.status_code == 200
