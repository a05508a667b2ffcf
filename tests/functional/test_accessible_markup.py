"""The markup the accessibility rules rest on (issue 16), as served: landmarks
and the skip link, fields tied to their help and error texts, the focused
error summary and the error title, names for controls, the sort form's button,
the Chinese data's lang in the English interface, and page titles. The browser
side (axe, keyboard) is in tests/e2e/test_a11y.py and test_keyboard.py."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from procurement.models import ContractStatus
from tests.factories import UserFactory, product_with_stock
from tests.factories.procurement import Team, contract_in_state

pytestmark = pytest.mark.django_db

APPLY = reverse("producers:apply")


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_skip_link_comes_first_and_leads_to_main(client):
    page = html(client.get(reverse("catalogue:index")))
    body = page[page.index("<body") :]
    first_focusable = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body).group(0)
    assert 'href="#main"' in first_focusable and "mkt-skip-link" in first_focusable
    assert '<main id="main" tabindex="-1">' in page
    assert 'tabindex="1"' not in page  # the search box no longer jumps the queue
    assert '<div id="messages" role="status"' in page


def test_a_refused_form_ties_errors_to_fields_and_says_so_in_the_title(client):
    client.force_login(UserFactory())
    page = html(client.post(APPLY, {"kind": "cooperative"}))
    assert re.search(r"<title>\s*错误：", page)
    assert 'class="alert alert-danger mkt-error-summary" role="alert" tabindex="-1"' in page
    assert '<a href="#id_county">' in page
    county = re.search(r"<select[^>]*id=\"id_county\"[^>]*>", page).group(0)
    assert 'aria-invalid="true"' in county
    assert 'aria-describedby="id_county_error"' in county
    assert '<div id="id_county_error" class="error-block">' in page
    assert "请选择区县。" in page
    # Help texts carry the id that Django's aria-describedby names.
    name = re.search(r"<input[^>]*id=\"id_name\"[^>]*>", page).group(0)
    assert 'aria-describedby="id_name_error id_name_helptext"' in name
    assert '<small id="id_name_helptext"' in page
    assert 'autocomplete="organization"' in name


def test_the_title_is_plain_before_a_submit(client):
    client.force_login(UserFactory())
    page = html(client.get(APPLY))
    assert not re.search(r"<title>\s*错误", page)
    assert "mkt-error-summary" not in page


def test_the_basket_quantity_is_named_after_its_product(client):
    product = product_with_stock(title="柞水黑木耳 250g")
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    page = html(client.get(reverse("basket:summary")))
    assert 'aria-label="“柞水黑木耳 250g”的数量"' in page


def test_sorting_is_applied_by_a_button(client):
    page = html(client.get(reverse("catalogue:index")))
    sort_form = page[page.index('class="form-inline mb-3 mkt-sort"') :]
    sort_form = sort_form[: sort_form.index("</form>")]
    assert '<button type="submit"' in sort_form
    assert "<noscript>" not in sort_form


def test_chinese_data_is_marked_in_the_english_interface(client, es_backend, search_index):
    product_with_stock(title="柞水黑木耳 250g")
    search_index()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = html(client.get(reverse("catalogue:index")))
    assert '<html lang="en"' in page
    assert re.search(
        r"<h3 class=\"mt-3\" lang=\"zh-Hans\">\s*<a [^>]*title=\"柞水黑木耳 250g\"", page
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = html(client.get(reverse("catalogue:index")))
    assert 'lang="zh-Hans"' not in page


def test_home_and_contract_titles_say_what_the_page_is(client):
    page = html(client.get("/"))
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    assert title.startswith("消费帮扶商城") and " – " in title, title

    team = Team()
    product = product_with_stock()
    contract = contract_in_state(team, product, 5, ContractStatus.SHIPPED)
    client.force_login(team.purchaser)
    page = html(client.get(reverse("procurement:contract-detail", args=[contract.pk])))
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    assert title.startswith(f"合同 {contract.number} – "), title


def test_the_unit_progress_bar_is_named_and_the_chart_is_also_a_table(client):
    team = Team()
    client.force_login(team.purchaser)
    page = html(client.get(reverse("procurement:dashboard", args=[team.organisation.pk])))
    bar = re.search(r'<div class="progress[^>]*role="progressbar"[^>]*>', page).group(0)
    assert 'aria-label="年度采购完成比例"' in bar and "aria-valuetext=" in bar
    assert '<details class="mt-2" id="month-table">' in page
    assert page.count('<th scope="row">') == 12
