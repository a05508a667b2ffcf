import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from cms.models import HomePage, HomePageFeaturedProduct
from tests.factories import DEFAULT_PASSWORD, StaffUserFactory, UserFactory, product_with_stock

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_home_page_shows_the_editors_hero_and_featured_products(client):
    product = product_with_stock(title="紫阳富硒绿茶 明前特级 100g")
    home = HomePage.objects.get()
    home.hero_title = "秦巴山区好茶上新"
    home.save()
    HomePageFeaturedProduct.objects.create(page=home, product=product, sort_order=0)

    page = client.get("/").content.decode()

    assert "秦巴山区好茶上新" in page
    assert "紫阳富硒绿茶 明前特级 100g" in page
    assert "陕西省 商洛市 柞水县" in page


def test_unpublished_or_hidden_featured_products_are_not_shown(client):
    product = product_with_stock(title="已下架的商品")
    product.is_public = False
    product.save()
    HomePageFeaturedProduct.objects.create(page=HomePage.objects.get(), product=product)

    assert "已下架的商品" not in client.get("/").content.decode()


def test_one_staff_login_opens_dashboard_cms_and_django_admin(client):
    staff = StaffUserFactory(email="ops@example.com")

    response = client.post(
        reverse("customer:login") + "?next=/dashboard/",
        {"login-username": staff.email, "login-password": DEFAULT_PASSWORD, "login_submit": "1"},
    )
    assert response.status_code == 302

    assert client.get("/dashboard/").status_code == 200
    assert client.get("/cms/").status_code == 200
    assert client.get("/django-admin/").status_code == 200


def test_customers_are_kept_out_of_staff_areas(client):
    client.force_login(UserFactory())
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/cms/").status_code == 302
    assert client.get("/django-admin/").status_code == 302


def test_chinese_is_the_default_and_english_is_one_click_away(client):
    product_with_stock()
    page = client.get(reverse("catalogue:index"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans"' in page.content.decode()
    assert "全部商品" in page.content.decode()

    client.post(reverse("set_language"), {"language": "en", "next": "/catalogue/"})
    page = client.get(reverse("catalogue:index")).content.decode()
    assert '<html lang="en"' in page
    assert "All products" in page


def test_prices_are_shown_in_yuan(client):
    from decimal import Decimal

    product = product_with_stock(price=Decimal("1288.00"))
    assert "¥1,288.00" in client.get(product.get_absolute_url()).content.decode()


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.production",
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-for-the-check-0123456789",
        "DJANGO_ALLOWED_HOSTS": "shop.example.cn",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        # A registered open-data prefix (the placeholder default warns: oversight.W001).
        "OCDS_OCID_PREFIX": "ocds-a1b2c3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_cookies_travel_only_over_https():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.production",
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-for-the-check-0123456789",
        "DJANGO_ALLOWED_HOSTS": "shop.example.cn",
    }
    names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE"]
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            f"from django.conf import settings; print([getattr(settings, n) for n in {names!r}])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[True, True, True]"


def test_editors_pick_featured_products_with_a_product_chooser(client):
    product_with_stock(title="东乡手抓羊肉 1kg")
    client.force_login(StaffUserFactory())
    home = HomePage.objects.get()

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[home.pk]))
    assert edit.status_code == 200
    assert "推荐商品" in edit.content.decode()

    chooser = client.get(reverse("product_chooser:choose"))
    assert chooser.status_code == 200
    assert "东乡手抓羊肉 1kg" in chooser.json()["html"]


def test_dashboard_product_form_asks_for_producer_and_origin(client):
    from oscar.core.loading import get_model

    product = product_with_stock()
    client.force_login(StaffUserFactory())
    response = client.get(reverse("dashboard:catalogue-product", kwargs={"pk": product.pk}))
    form = response.context["form"]
    assert {"producer", "origin_county"} <= set(form.fields)
    assert form.fields["origin_county"].queryset.model is get_model("regions", "Region")
