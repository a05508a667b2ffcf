"""The search page, a category page with facet parameters and the suggest
endpoint, on the corpus, through each backend."""

from collections import Counter

import pytest
from django.urls import reverse

from search.backends.base import MAX_PAGE

pytestmark = pytest.mark.django_db


def facet_options(response, name) -> dict[str, tuple[str, int, bool]]:
    """value -> (label, count, selected) as the template receives them."""
    for facet in response.context["facets"]:
        if facet["name"] == name:
            return {o.value: (o.label, o.count, o.selected) for o in facet["options"]}
    return {}


def test_search_page_finds_muer_by_pinyin_with_labelled_facet_counts(
    client, corpus, corpus_backend
):
    response = client.get(reverse("search:search"), {"q": "muer"})

    assert response.status_code == 200
    muer = [i for i in corpus.items if "木耳" in i.title]
    assert response.context["total"] == len(muer) == 12
    assert {p.title for p in response.context["products"]} == {i.title for i in muer}
    provinces = Counter(i.province for i in muer)
    assert facet_options(response, "province") == {
        "610000": ("陕西省", provinces["610000"], False),
        "510000": ("四川省", provinces["510000"], False),
        "620000": ("甘肃省", provinces["620000"], False),
    }
    producers = facet_options(response, "producer")
    assert producers[str(corpus.producers["zs_muer"].pk)] == (
        "柞水县秦岭木耳种植专业合作社",
        7,
        False,
    )
    content = response.content.decode()
    assert "柞水黑木耳 250g 袋装" in content and "“muer”的搜索结果" in content


def test_category_page_applies_facet_parameters_within_its_category(client, corpus, corpus_backend):
    tea = corpus.categories["tea"]
    params = {"province": ["610000", "520000"], "availability": "in_stock"}
    response = client.get(tea.get_absolute_url(), params)

    assert response.status_code == 200
    scope = {"category": (str(tea.pk),)}
    filters = {"province": ("610000", "520000"), "availability": ("in_stock",)}
    expected = corpus.matching(filters, scope)
    assert response.context["total"] == len(expected) == 19  # one page
    assert {p.title for p in response.context["products"]} == {i.title for i in expected}
    provinces = facet_options(response, "province")
    assert {v: c for v, (_label, c, _sel) in provinces.items()} == corpus.facet_counts(
        "province", filters, scope
    )
    assert provinces["610000"][2] and provinces["520000"][2] and not provinces["530000"][2]
    assert facet_options(response, "availability")["in_stock"][1:] == (
        corpus.facet_counts("availability", filters, scope)["in_stock"],
        True,
    )
    active = {(name, option.value) for name, option in response.context["active_filters"]}
    assert active == {("province", "610000"), ("province", "520000"), ("availability", "in_stock")}


def test_facet_links_add_and_remove_one_value_and_reset_the_page(client, corpus, corpus_backend):
    tea = corpus.categories["tea"]
    response = client.get(tea.get_absolute_url(), {"province": "610000", "page": "2"})

    options = {
        o.value: o.url
        for facet in response.context["facets"]
        if facet["name"] == "province"
        for o in facet["options"]
    }
    assert options["610000"] == "?"  # unticking the only filter
    assert options["530000"] == "?province=610000&province=530000"


def test_a_page_number_past_the_maximum_is_bounded_and_renders(client, corpus, corpus_backend):
    response = client.get(reverse("search:search"), {"page": MAX_PAGE * 5})

    assert response.status_code == 200
    # Bounded at MAX_PAGE, which is past the end of 204 products: the last page shows.
    last = response.context["paginator"].num_pages
    assert response.context["results"].page == last < MAX_PAGE
    assert response.context["page_obj"].number == last
    assert response.context["products"]
    assert response.context["total"] == 204


def test_a_page_number_past_the_last_page_shows_the_last_page(client, corpus, corpus_backend):
    response = client.get(reverse("search:search"), {"q": "muer", "page": 7})

    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    assert len(response.context["products"]) == response.context["total"] == 12


def test_price_sort_on_the_search_page(client, corpus, corpus_backend):
    response = client.get(reverse("search:search"), {"q": "猕猴桃", "sort_by": "price-asc"})

    assert response.status_code == 200
    prices = [corpus.item(p.title).price for p in response.context["products"]]
    assert prices and prices == sorted(prices)


def test_suggest_endpoint_answers_a_pinyin_prefix(client, corpus, corpus_backend):
    response = client.get(reverse("search:suggest"), {"q": "mihou"})

    assert response.status_code == 200
    suggestions = response.json()["suggestions"]
    assert suggestions and all("猕猴桃" in s for s in suggestions)
