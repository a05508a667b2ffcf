"""Demand signals: searches that found nothing are counted per day, anonymously,
and shown to staff and to producers."""

import datetime

import pytest
from django.urls import reverse

from search.demand import normalise_query, zero_result_record, zero_result_top
from search.models import ZeroResultQuery
from tests.factories import ProducerFactory, StaffUserFactory, UserFactory, product_with_stock
from tests.factories.procurement import producer_user

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


def test_a_zero_result_query_is_counted_per_day_with_its_normalised_text_only():
    zero_result_record(text="  山西  老陈醋 ", day=DAY)
    zero_result_record(text="山西 老陈醋", day=DAY)
    zero_result_record(text="ＡＰＰＬＥ", day=DAY)
    zero_result_record(text="山西 老陈醋", day=DAY + datetime.timedelta(days=1))

    rows = {(r.day, r.query): r.count for r in ZeroResultQuery.objects.all()}
    assert rows == {
        (DAY, "山西 老陈醋"): 2,
        (DAY, "apple"): 1,
        (DAY.replace(day=3), "山西 老陈醋"): 1,
    }
    # Nothing that could name a shopper is stored.
    assert {f.name for f in ZeroResultQuery._meta.get_fields()} == {"id", "day", "query", "count"}
    assert normalise_query("x" * 300) == "x" * 100


def test_the_top_counts_the_last_thirty_days_most_searched_first():
    for _ in range(3):
        zero_result_record(text="kiwi", day=DAY)
    zero_result_record(text="kiwi", day=DAY - datetime.timedelta(days=40))
    zero_result_record(text="木耳酱", day=DAY)

    top = zero_result_top(today=DAY)

    assert [(r["query"], r["searches"]) for r in top] == [("kiwi", 3), ("木耳酱", 1)]


def test_the_search_page_logs_a_search_that_found_nothing_and_not_one_that_found(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        product_with_stock(title="柞水黑木耳 250g", producer=ProducerFactory())

    client.get(reverse("search:search"), {"q": "山西老陈醋"})
    client.get(reverse("search:search"), {"q": "木耳"})

    assert list(ZeroResultQuery.objects.values_list("query", "count")) == [("山西老陈醋", 1)]


def test_staff_see_what_shoppers_did_not_find_and_shoppers_do_not(client):
    zero_result_record(text="山西老陈醋")
    url = reverse("search:zero-results")

    client.force_login(UserFactory())
    assert client.get(url).status_code in (302, 403)

    client.force_login(StaffUserFactory(is_superuser=False))
    response = client.get(url)
    assert response.status_code == 200
    assert "山西老陈醋" in response.content.decode()


def test_producers_see_it_in_their_workspace_and_not_in_others(client):
    zero_result_record(text="山西老陈醋")
    producer, other = ProducerFactory(), ProducerFactory()
    client.force_login(producer_user(producer))

    response = client.get(reverse("search:workspace-zero-results", args=[producer.pk]))
    assert response.status_code == 200
    assert "山西老陈醋" in response.content.decode()
    assert "买家没搜到的" in response.content.decode()
    other_page = reverse("search:workspace-zero-results", args=[other.pk])
    assert client.get(other_page).status_code == 404
