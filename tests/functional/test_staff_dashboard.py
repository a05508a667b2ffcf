"""Every review and oversight page in Oscar's dashboard layout with one menu,
and the Django admin for superusers only (issue 11, platform staff)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from oscar.core.loading import get_model

from catalogue.models import ReviewStatus
from procurement.models import ReserveRatioRule
from producers.models import ProducerApplication
from tests.factories import (
    CountyReviewerFactory,
    ProducerApplicationFactory,
    StaffUserFactory,
    UserFactory,
    product_with_stock,
)
from tests.factories.producers import BenefitLinkageFactory

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

DASHBOARD_MARKER = 'id="bottom_nav_bar"'  # the dashboard layout's menu bar

# Every page of the menu a staff member opens, by URL name.
STAFF_MENU = [
    "producers:platform-queue",
    "producers:reviewers",
    "catalogue:review-queue",
    "procurement:review-units",
    "procurement:review-contests",
    "procurement:review-progress",
    "procurement:review-off-platform",
    "producers:linkage-queue",
    "region-key-counties",
    "procurement:ratio-rules",
    "procurement:pairings",
    "catalogue:price-watch",
    "search:zero-results",
]


def staff_member():
    """Programme staff who are not superusers (the factory's staff are both)."""
    return StaffUserFactory(is_superuser=False)


def assert_dashboard_layout(response):
    assert response.status_code == 200, response.request["PATH_INFO"]
    html = response.content.decode()
    assert DASHBOARD_MARKER in html
    assert "oscar/css/dashboard.css" in html
    # None of the shop's chrome: no basket, no "browse store", no search box.
    assert reverse("basket:summary") not in html
    assert "浏览商店" not in html
    assert 'name="q"' not in html
    assert "Toggle navigation" not in html
    return html


def menu_links(html: str) -> str:
    return html.split(DASHBOARD_MARKER, 1)[1].split("</nav>", 1)[0]


def test_every_staff_review_page_renders_in_the_dashboard_layout(client):
    product = product_with_stock(title="柞水黑木耳 250g")
    Product.objects.filter(pk=product.pk).update(review_status=ReviewStatus.PENDING)
    application = ProducerApplicationFactory(status=ProducerApplication.Status.COUNTY_RECOMMENDED)
    linkage = BenefitLinkageFactory(producer=product.producer)
    rule = ReserveRatioRule.objects.create(year=2026, minimum_ratio="0.1500")
    client.force_login(staff_member())
    urls = [reverse(name) for name in STAFF_MENU] + [
        reverse("catalogue:review-detail", args=[product.pk]),
        reverse("producers:platform-review", args=[application.pk]),
        reverse("producers:linkage-review", args=[linkage.pk]),
        reverse("procurement:ratio-rule-edit", args=[rule.pk]),
    ]
    for url in urls:
        html = assert_dashboard_layout(client.get(url))
        assert f'href="{reverse("dashboard:index")}"' in html  # the breadcrumb's root


def test_a_county_reviewer_gets_the_dashboard_layout_with_only_its_queue(client):
    reviewer = CountyReviewerFactory()
    application = ProducerApplicationFactory(county=reviewer.county)
    client.force_login(reviewer.user)

    for url in [
        reverse("producers:county-queue"),
        reverse("producers:county-review", args=[application.pk]),
    ]:
        html = assert_dashboard_layout(client.get(url))
        menu = menu_links(html)
        assert f'href="{reverse("producers:county-queue")}"' in menu
        for name in [*STAFF_MENU, "dashboard:index", "dashboard:order-list"]:
            assert f'href="{reverse(name)}"' not in menu, name
        # The content site, where they review their county's stories (cms workflow).
        assert f'href="{reverse("wagtailadmin_home")}"' in menu
        assert "/django-admin/" not in menu
        # Not staff: no breadcrumb into Oscar's dashboard either.
        assert f'href="{reverse("dashboard:index")}"' not in html

    # The layout's sign-out form works for them too (Oscar's dashboard logout is open).
    response = client.post(reverse("dashboard:logout"))
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_staff_see_every_review_page_and_no_django_admin_in_the_menu(client):
    staff = staff_member()
    client.force_login(staff)
    menu = menu_links(assert_dashboard_layout(client.get(reverse("catalogue:review-queue"))))
    for name in STAFF_MENU:
        assert f'href="{reverse(name)}"' in menu, name
    # The content site shows to those Wagtail lets in (its editors' group).
    assert f'href="{reverse("wagtailadmin_home")}"' not in menu
    staff.groups.add(Group.objects.get(name="Editors"))
    menu = menu_links(client.get(reverse("catalogue:review-queue")).content.decode())
    assert f'href="{reverse("wagtailadmin_home")}"' in menu
    # Staff are not county reviewers: that queue would refuse them.
    assert f'href="{reverse("producers:county-queue")}"' not in menu
    assert "/django-admin/" not in menu
    # Oscar's own dashboard has the same menu.
    assert (
        f'href="{reverse("catalogue:review-queue")}"' in client.get("/dashboard/").content.decode()
    )


def test_a_superuser_also_finds_the_django_admin_in_the_menu(client):
    client.force_login(StaffUserFactory(is_superuser=True))
    menu = menu_links(client.get(reverse("procurement:review-progress")).content.decode())
    assert f'href="{reverse("admin:index")}"' in menu


def test_the_menu_labels_have_english(client, settings):
    client.force_login(StaffUserFactory(is_superuser=True))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    menu = menu_links(client.get(reverse("procurement:review-units")).content.decode())
    for english in [
        "Producer",
        "County reviewer",
        "Onboarding review",
        "Listing review",
        "Buyer unit applications",
        "Contested credit codes",
        "Procurement progress",
        "Off-platform purchase checks",
        "Benefit-linkage review",
        "Key assistance counties",
        "Reserved share rule",
        "Admin sites",
        "Content (Wagtail)",
        "Django admin (superusers)",
    ]:
        assert english in menu, english


def test_the_dashboard_menu_buttons_have_chinese_labels(client):
    client.force_login(staff_member())
    html = client.get("/dashboard/").content.decode()
    assert "Toggle navigation" not in html and "Toggle Dropdown" not in html
    assert 'aria-label="展开管理菜单"' in html
    assert 'id="navbarDropdown"' not in html  # one id per dropdown, not Oscar's shared one


def test_staff_who_are_not_superusers_are_sent_from_the_django_admin_to_the_dashboard(client):
    client.force_login(staff_member())
    for url in ["/django-admin/", "/django-admin/producers/producer/"]:
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0] == reverse("dashboard:index"), url
        assert "仅供超级管理员使用" in response.content.decode()


def test_other_signed_in_users_are_refused_the_django_admin(client):
    client.force_login(UserFactory())
    assert client.get("/django-admin/", follow=True).status_code == 403


def test_superusers_use_the_django_admin(client):
    client.force_login(StaffUserFactory(is_superuser=True))
    assert client.get("/django-admin/").status_code == 200
    assert client.get("/django-admin/producers/producer/").status_code == 200


def test_category_proposals_are_in_the_menu_of_staff_who_may_add_categories(client):
    from django.contrib.auth.models import Permission

    staff = staff_member()
    client.force_login(staff)
    proposals = reverse("producers:category-proposals-review")
    menu = menu_links(client.get(reverse("catalogue:review-queue")).content.decode())
    assert f'href="{proposals}"' not in menu

    staff.user_permissions.add(Permission.objects.get(codename="add_category"))
    menu = menu_links(client.get(reverse("catalogue:review-queue")).content.decode())
    assert f'href="{proposals}"' in menu
    assert_dashboard_layout(client.get(proposals))
