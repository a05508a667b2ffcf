"""Programme staff edit the English names search understands (/search/synonyms/),
through search.services; the maintained list stays in the repository."""

import pytest
from django.urls import reverse

from search.backends.base import SearchQuery
from search.demand import zero_result_record
from search.exceptions import (
    SynonymNotFound,
    SynonymPhraseInvalid,
    SynonymStaffOnly,
    SynonymWordsMissing,
)
from search.models import SearchSynonym
from search.querying import file_synonyms, synonyms, synonyms_changed
from search.rules import synonym_check
from search.selectors import product_search
from search.services import search_synonym_delete, search_synonym_save
from tests.factories import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_synonyms():
    synonyms_changed()
    yield
    synonyms_changed()


def titles(text: str) -> set[str]:
    _results, products = product_search(query=SearchQuery(text=text, per_page=100))
    return {p.title for p in products}


@pytest.mark.parametrize(
    "phrase, words, code",
    [
        ("", "猕猴桃", SynonymPhraseInvalid.code),
        ("猕猴桃", "猕猴桃", SynonymPhraseInvalid.code),
        ("one two three four", "猕猴桃", SynonymPhraseInvalid.code),
        ("kiwi", "kiwi", SynonymWordsMissing.code),
        ("kiwi", " ，、", SynonymWordsMissing.code),
    ],
)
def test_the_rule_refuses_what_the_query_reader_could_never_use(phrase, words, code):
    with pytest.raises((SynonymPhraseInvalid, SynonymWordsMissing)) as refused:
        synonym_check(phrase=phrase, words=words)
    assert refused.value.code == code


def test_the_rule_normalises_like_the_query_reader():
    checked = synonym_check(phrase="  Chinese   GOOSEBERRY ", words="猕猴桃，猕猴桃、奇异果")
    assert (checked.phrase, checked.words) == ("chinese gooseberry", "猕猴桃 奇异果")


def test_only_staff_write_synonyms():
    with pytest.raises(SynonymStaffOnly) as refused:
        search_synonym_save(actor=UserFactory(), phrase="kiwi", words="猕猴桃")
    assert refused.value.code == "search_synonym_staff_only"
    assert not SearchSynonym.objects.exists()


def test_saving_a_phrase_twice_keeps_one_row_and_search_sees_it_after_commit(
    corpus, corpus_backend, django_capture_on_commit_callbacks
):
    staff = StaffUserFactory()
    assert titles("chinese gooseberry") == set()

    with django_capture_on_commit_callbacks(execute=True):
        search_synonym_save(actor=staff, phrase="Chinese Gooseberry", words="猕猴桃")
    with django_capture_on_commit_callbacks(execute=True):
        search_synonym_save(actor=staff, phrase="chinese  gooseberry", words="猕猴桃")

    assert SearchSynonym.objects.count() == 1
    kiwis = {i.title for i in corpus.items if "猕猴桃" in i.title}
    assert kiwis and kiwis <= titles("chinese gooseberry")


def test_deleting_a_staff_replacement_brings_back_the_files_entry(
    django_capture_on_commit_callbacks,
):
    staff = StaffUserFactory()
    assert "apple" in file_synonyms()
    with django_capture_on_commit_callbacks(execute=True):
        search_synonym_save(actor=staff, phrase="apple", words="苹果脆片")
    assert synonyms()["apple"] == ("苹果脆片",)

    with django_capture_on_commit_callbacks(execute=True):
        search_synonym_delete(actor=staff, phrase="APPLE")
    assert synonyms()["apple"] == file_synonyms()["apple"]

    with pytest.raises(SynonymNotFound) as refused:
        search_synonym_delete(actor=staff, phrase="apple")
    assert refused.value.code == "search_synonym_not_found"


def test_the_staff_page_is_for_staff_only(client):
    url = reverse("search:synonyms")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    assert client.post(url, {"phrase": "kiwi", "words": "猕猴桃"}).status_code == 403
    assert client.post(reverse("search:synonym-delete"), {"phrase": "apple"}).status_code == 403
    assert not SearchSynonym.objects.exists()


def test_staff_add_replace_and_delete_in_the_page(client):
    client.force_login(StaffUserFactory())
    url = reverse("search:synonyms")

    page = client.get(url, {"q": "kiwi"})
    assert page.status_code == 200
    assert "维护词表" in page.content.decode()

    response = client.post(url, {"phrase": "Wood Ear Fungus", "words": "木耳 黑木耳"}, follow=True)
    assert response.redirect_chain[-1][0] == url
    assert SearchSynonym.objects.get().words == "木耳 黑木耳"
    assert "wood ear fungus" in response.content.decode()

    response = client.post(url, {"phrase": "apple", "words": "苹果脆片"}, follow=True)
    body = response.content.decode()
    assert "工作人员替换" in body

    client.post(reverse("search:synonym-delete"), {"phrase": "apple"})
    assert set(SearchSynonym.objects.values_list("phrase", flat=True)) == {"wood ear fungus"}
    assert client.get(reverse("search:synonym-delete")).status_code == 405


def test_bad_input_gets_a_message_and_changes_nothing(client):
    client.force_login(StaffUserFactory())
    url = reverse("search:synonyms")

    response = client.post(url, {"phrase": "猕猴桃", "words": "猕猴桃"})
    assert response.status_code == 200
    assert str(SynonymPhraseInvalid.message) in response.content.decode()

    response = client.post(url, {"phrase": "kiwi", "words": "kiwi fruit"})
    assert str(SynonymWordsMissing.message) in response.content.decode()

    response = client.post(reverse("search:synonym-delete"), {"phrase": "never added"}, follow=True)
    assert str(SynonymNotFound.message) in response.content.decode()
    assert not SearchSynonym.objects.exists()


def test_a_latin_query_that_found_nothing_links_to_the_synonym_form(client):
    zero_result_record(text="dried persimmon")
    zero_result_record(text="山西老陈醋")
    client.force_login(StaffUserFactory())

    body = client.get(reverse("search:zero-results")).content.decode()

    assert reverse("search:synonyms") + "?phrase=dried%20persimmon" in body
    assert "?phrase=%E5%B1%B1" not in body
    form = client.get(reverse("search:synonyms"), {"phrase": "dried persimmon"})
    assert 'value="dried persimmon"' in form.content.decode()


def test_a_synonym_change_retires_cached_listings(django_capture_on_commit_callbacks):
    from catalogue.cache import catalogue_version

    staff = StaffUserFactory()
    before = catalogue_version()
    with django_capture_on_commit_callbacks(execute=True):
        search_synonym_save(actor=staff, phrase="kiwi berry", words="软枣猕猴桃")
    saved = catalogue_version()
    assert saved != before
    with django_capture_on_commit_callbacks(execute=True):
        search_synonym_delete(actor=staff, phrase="kiwi berry")
    assert catalogue_version() != saved
