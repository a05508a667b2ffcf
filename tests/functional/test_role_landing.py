"""After signing in each role lands where its work is, and the header shows
each role's entry; a shopper goes back to the page that asked them to log in."""

import pytest
from django.urls import reverse

from tests.factories import (
    DEFAULT_PASSWORD,
    CountyReviewerFactory,
    ProducerFactory,
    StaffUserFactory,
    UserFactory,
)
from tests.factories.procurement import MembershipFactory

pytestmark = pytest.mark.django_db


def producer_user():
    user = UserFactory()
    ProducerFactory().partner.users.add(user)
    return user


ROLES = {
    "staff": (StaffUserFactory, "/dashboard/"),
    "producer": (producer_user, "/producers/workspace/"),
    "buyer": (lambda: MembershipFactory().user, "/procurement/"),
    "county_reviewer": (lambda: CountyReviewerFactory().user, "/producers/review/county/"),
    "consumer": (UserFactory, "/"),
}


def log_in(client, user, next_url=""):
    # The login form carries ?next= in a hidden field, as the page renders it.
    url = reverse("customer:login") + (f"?next={next_url}" if next_url else "")
    form = client.get(url).content.decode()
    assert not next_url or f'value="{next_url}"' in form
    data = {"login-username": user.email, "login-password": DEFAULT_PASSWORD, "login_submit": "1"}
    return client.post(url, {**data, "login-redirect_url": next_url})


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lands_on_its_home_after_login(client, role):
    make_user, home = ROLES[role]
    response = log_in(client, make_user())
    assert response.status_code == 302
    assert response["Location"] == home


@pytest.mark.parametrize("role", ["consumer", "producer"])
def test_a_safe_next_page_wins_over_the_role_home(client, role):
    make_user, _home = ROLES[role]
    response = log_in(client, make_user(), next_url="/basket/")
    assert response["Location"] == "/basket/"


def test_a_next_page_off_the_site_is_ignored(client):
    response = log_in(client, UserFactory(), next_url="https://evil.example.com/")
    assert response["Location"] == "/"


ENTRIES = {
    "producer": "/producers/workspace/",
    "buyer": "/procurement/",
    "county_reviewer": "/producers/review/county/",
}


@pytest.mark.parametrize("role", ENTRIES)
def test_the_header_shows_the_entry_of_each_role_held_and_no_other(client, role):
    client.force_login(ROLES[role][0]())
    page = client.get(reverse("customer:summary"), follow=True).content.decode()
    header = page[: page.index("</header>")] if "</header>" in page else page
    for other, url in ENTRIES.items():
        assert (f'href="{url}" class="nav-link mkt-role-entry"' in header) == (other == role)
