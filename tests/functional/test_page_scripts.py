"""Issue 16, weight: pages load only the scripts they use. Order history has
no date-picker code (its filter uses the browser's date inputs); the seller
workspace's pages without forms load none of the dashboard's form widgets."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import UserFactory, product_with_stock
from tests.factories.orders import place_order
from tests.factories.producers import producer_with_user

pytestmark = pytest.mark.django_db

DATE_PICKER = ("moment-with-locales", "tempusdominus")
DASHBOARD_WIDGETS = (*DATE_PICKER, "tinymce", "select2", "inputmask", "jquery-sortable")


def test_order_history_filters_by_native_dates_without_picker_scripts(client):
    buyer = UserFactory()
    order = place_order(product_with_stock())
    order.user = buyer
    order.save()
    client.force_login(buyer)
    url = reverse("customer:order-list")

    html = client.get(url).content.decode()
    assert not [script for script in DATE_PICKER if script in html]
    assert 'type="date" name="date_from"' in html

    today = datetime.date.today().isoformat()
    response = client.get(url, {"date_from": today, "date_to": today})
    assert response.status_code == 200
    assert list(response.context["orders"]) == [order]
    assert f'value="{today}"' in response.content.decode()


@pytest.mark.parametrize("name", ["workspace-home", "workspace-products", "workspace-certificates"])
def test_workspace_pages_without_forms_load_no_form_widgets(client, name):
    producer, user = producer_with_user()
    client.force_login(user)
    html = client.get(reverse(f"producers:{name}", args=[producer.pk])).content.decode()
    assert not [script for script in DASHBOARD_WIDGETS if script in html]
    assert "bootstrap.bundle" in html


def test_workspace_form_pages_keep_their_widgets(client):
    producer, user = producer_with_user()
    client.force_login(user)
    html = client.get(reverse("producers:workspace-certificate-create", args=[producer.pk]))
    assert "oscar/js/oscar/dashboard" in html.content.decode()
