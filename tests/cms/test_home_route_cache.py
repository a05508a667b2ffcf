"""The home page's Wagtail routing (site and page) is cached under the
catalogue version (cms.selectors.home_route): a warm hit runs no routing
query, and publishing the home page, saving it or changing the site shows on
the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms.models import HomePage

pytestmark = pytest.mark.django_db


def get_home(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries.captured_queries]


def test_a_warm_home_page_runs_no_routing_query(client):
    get_home(client)
    _page, hit = get_home(client)
    assert not any('"wagtailcore_site"' in sql for sql in hit), hit
    assert not any('FROM "cms_homepage"' in sql for sql in hit), hit
    # What is left: Wagtail's view restrictions check and the page's language links.
    assert len(hit) <= 2, hit


def test_a_published_home_page_shows_on_the_next_request(client):
    get_home(client)
    home = HomePage.objects.get()
    home.hero_title = "新的主标题"
    home.save_revision().publish()
    page, _queries = get_home(client)
    assert "新的主标题" in page


def test_a_saved_home_page_shows_on_the_next_request(client):
    get_home(client)
    home = HomePage.objects.get()
    home.hero_title = "直接保存的标题"
    home.save()
    page, _queries = get_home(client)
    assert "直接保存的标题" in page


def test_an_unpublished_home_page_is_not_served_from_the_cache(client):
    get_home(client)
    HomePage.objects.get().unpublish()
    assert client.get("/").status_code == 404


def test_a_changed_site_routes_again(client):
    get_home(client)
    site = Site.objects.get(is_default_site=True)
    site.hostname = "elsewhere.example"
    site.is_default_site = False
    site.save()
    assert client.get("/").status_code == 404


def test_each_host_has_its_own_route(client):
    get_home(client)
    site = Site.objects.get(is_default_site=True)
    site.is_default_site = False
    site.hostname = "testserver"
    site.save()
    get_home(client)  # routed for testserver, and cached
    other = client.get("/", HTTP_HOST="127.0.0.1")
    assert other.status_code == 404  # no site for that host: not testserver's route
