"""Junk from a browser or a fuzzer gets a 4xx or the form again, never a 500,
and changes nothing."""

import logging

import pytest
from django.contrib.flatpages.models import FlatPage
from django.urls import reverse
from oscar.core.loading import get_model

from procurement.models import BuyerOrganisation, ContractStatus, PriceBreak
from tests.factories import CategoryFactory, ProducerFactory, product_with_stock
from tests.factories.orders import place_order
from tests.factories.procurement import (
    BuyerOrganisationFactory,
    Team,
    contract_in_state,
    producer_user,
)
from tests.factories.users import StaffUserFactory, UserFactory

Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Product = get_model("catalogue", "Product")
Range = get_model("offer", "Range")
WishList = get_model("wishlists", "WishList")
pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return Team()


@pytest.mark.parametrize("year", [0, 99999])
def test_plan_page_for_an_impossible_year_is_404(client, team, year):
    client.force_login(team.admin)
    response = client.get(
        reverse("procurement:plan", kwargs={"unit_pk": team.organisation.pk, "year": year})
    )
    assert response.status_code == 404


def test_review_units_with_a_junk_organisation_is_404_and_decides_nothing(client):
    pending = BuyerOrganisationFactory(status=BuyerOrganisation.Status.PENDING)
    client.force_login(StaffUserFactory())
    response = client.post(
        reverse("procurement:review-units"), {"organisation": "abc", "decision": "approve"}
    )
    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.status == BuyerOrganisation.Status.PENDING


def test_review_off_platform_with_a_junk_record_is_404(client):
    client.force_login(StaffUserFactory())
    response = client.post(
        reverse("procurement:review-off-platform"),
        {"record": "abc", "decision": "approve", "note": ""},
    )
    assert response.status_code == 404


def test_removing_a_junk_price_break_is_404_and_removes_nothing(client):
    product = product_with_stock(stock=10)
    PriceBreak.objects.create(stockrecord=product.stockrecords.get(), min_quantity=10, unit_price=1)
    client.force_login(producer_user(product.producer))
    response = client.post(
        reverse("procurement:price-breaks"), {"action": "remove", "price_break": "abc"}
    )
    assert response.status_code == 404
    assert PriceBreak.objects.count() == 1


def test_acceptance_posted_without_lines_shows_the_form_with_an_error(client, team):
    product = product_with_stock(stock=10)
    contract = contract_in_state(team, product, 2, ContractStatus.SHIPPED)
    client.force_login(team.purchaser)
    response = client.post(
        reverse("procurement:contract-accept", args=[contract.pk]),
        {
            "lines-TOTAL_FORMS": "0",
            "lines-INITIAL_FORMS": "0",
            "rating": "5",
            "notes": "",
        },
    )
    assert response.status_code == 200
    assert "验收明细与合同不一致" in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SHIPPED


def test_creating_a_wish_list_around_a_missing_product_is_404(client):
    client.force_login(UserFactory())
    response = client.get(
        reverse("customer:wishlists-create-with-product", kwargs={"product_pk": 999999})
    )
    assert response.status_code == 404


def test_a_shared_wish_list_opened_anonymously_redirects_to_login(client):
    wishlist = WishList.objects.create(owner=UserFactory(), name="年货", visibility=WishList.SHARED)
    url = reverse("wishlists:detail", kwargs={"key": wishlist.key})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('customer:login')}?next={url}"


@pytest.mark.parametrize(
    "url_name", ["dashboard:catalogue-product-list", "dashboard:catalogue-category-list"]
)
@pytest.mark.parametrize("sort", ["checkbox", "-checkbox", "actions", "num_children", "junk"])
def test_dashboard_lists_ignore_a_sort_on_a_column_that_is_no_field(client, url_name, sort):
    product_with_stock(stock=1)
    client.force_login(StaffUserFactory())
    response = client.get(reverse(url_name), {"sort": sort})
    assert response.status_code == 200


def test_search_without_a_built_index_falls_back_to_the_database_with_a_warning(
    client, es_backend, search_index, settings, caplog
):
    product = product_with_stock(title="柞水木耳", stock=3)
    # The database's entries are written; Elasticsearch has no index under this prefix.
    es_url, settings.ELASTICSEARCH_URL = settings.ELASTICSEARCH_URL, ""
    search_index()
    settings.ELASTICSEARCH_URL = es_url
    with caplog.at_level(logging.WARNING, logger="search.backends"):
        response = client.get(reverse("search:search"), {"q": "木耳"})
    assert response.status_code == 200
    assert product.title in response.content.decode()
    assert "searching the database instead" in caplog.text


@pytest.mark.parametrize("path", ["/no-such-page/", "/procurement/units/999999/plans/2026/"])
def test_a_missing_page_is_the_chinese_404_in_the_site_layout(client, path):
    client.force_login(UserFactory())
    response = client.get(path)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert "marketplace/marketplace.css" in response.content.decode()  # the site layout


def test_a_refused_page_is_the_chinese_403(client):
    client.force_login(UserFactory())
    response = client.get(reverse("procurement:review-units"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_a_server_error_is_the_chinese_500(client, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("procurement.views.units.organisations_visible_to", fail)
    client.raise_request_exception = False
    client.force_login(UserFactory())
    response = client.get(reverse("procurement:home"))
    assert response.status_code == 500
    assert "服务器出错" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/alerts/confirm/%00/",
        "/wishlists/%00/",
        "/accounts/orders/%00/",
        "/no-such-page/%00/",
    ],
)
def test_a_path_with_a_nul_character_is_404(client, path):
    client.force_login(UserFactory())
    response = client.get(path)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.fixture
def customer_order():
    order = place_order(product_with_stock(stock=10), number="400001")
    order.user = UserFactory()
    order.save(update_fields=["user"])
    return order


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_order_line_opened_or_posted_without_an_action_goes_back_to_the_order(
    client, customer_order, method
):
    client.force_login(customer_order.user)
    url = reverse(
        "customer:order-line",
        kwargs={"order_number": customer_order.number, "line_id": customer_order.lines.get().pk},
    )
    response = getattr(client, method)(url, {"action": "junk"} if method == "post" else {})
    assert response.status_code == 302
    assert response["Location"] == reverse("customer:order", args=[customer_order.number])


def test_a_junk_line_of_an_own_order_is_404(client, customer_order):
    client.force_login(customer_order.user)
    url = reverse(
        "customer:order-line",
        kwargs={"order_number": customer_order.number, "line_id": 99999999},
    )
    assert client.post(url, {"action": "reorder"}).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/pages/update/x/",
        "/dashboard/pages/delete/x/",
        "/dashboard/catalogue/attribute-option-group/x/update/",
        "/dashboard/catalogue/attribute-option-group/x/delete/",
        "/dashboard/catalogue/option/x/update/",
        "/dashboard/catalogue/option/x/delete/",
        "/dashboard/catalogue/option/__fk__/update/",
    ],
)
def test_dashboard_pages_keyed_by_a_number_are_404_for_a_junk_key(client, path):
    client.force_login(StaffUserFactory())
    assert client.get(path).status_code == 404


def test_dashboard_flat_page_editor_still_opens_by_its_number(client):
    page = FlatPage.objects.create(url="/about/", title="关于我们", content="消费帮扶")
    client.force_login(StaffUserFactory())
    assert client.get(reverse("dashboard:page-update", args=[page.pk])).status_code == 200


def test_dashboard_product_type_form_still_links_the_editors_of_option_groups(client):
    # Its widgets reverse the option editor's URL with a placeholder key.
    client.force_login(StaffUserFactory())
    response = client.get(reverse("dashboard:catalogue-class-create"))
    assert response.status_code == 200
    assert "/dashboard/catalogue/attribute-option-group/__fk__/update/" in response.content.decode()


def test_a_refused_category_edit_shows_the_form_again_and_changes_nothing(client):
    category = CategoryFactory(name="干货")
    client.force_login(StaffUserFactory())
    response = client.post(
        reverse("dashboard:catalogue-category-update", args=[category.pk]),
        {"name": "\x00", "slug": "", "_position": "first-child", "_ref_node_id": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    category.refresh_from_db()
    assert (category.name, category.slug) == ("干货", "干货")


def test_deleting_a_product_that_contracts_use_is_refused_with_a_message(client, team):
    product = product_with_stock(stock=10)
    contract_in_state(team, product, 2, ContractStatus.AWAITING)
    client.force_login(StaffUserFactory())
    url = reverse("dashboard:catalogue-product-delete", args=[product.pk])
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "不能删除" in response.content.decode()
    assert Product.objects.filter(pk=product.pk).exists()


def test_deleting_a_producers_partner_is_refused_with_a_message(client):
    producer = ProducerFactory()
    client.force_login(StaffUserFactory())
    url = reverse("dashboard:partner-delete", args=[producer.partner.pk])
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "不能删除" in response.content.decode()
    assert type(producer.partner).objects.filter(pk=producer.partner.pk).exists()


def test_an_offer_posted_without_an_action_goes_back_to_the_offer_with_a_message(client):
    offer = ConditionalOffer.objects.create(
        name="满百减十",
        offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(
            range=Range.objects.create(name="全部商品", includes_all_products=True),
            type=Condition.VALUE,
            value=100,
        ),
        benefit=Benefit.objects.create(type=Benefit.FIXED, value=10),
    )
    client.force_login(StaffUserFactory())
    url = reverse("dashboard:offer-detail", args=[offer.pk])
    response = client.post(url, {"action": "junk"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "表单提交无效" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == ConditionalOffer.OPEN
