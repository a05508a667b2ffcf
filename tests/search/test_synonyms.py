"""English names: the maintained list (search/data/synonyms.toml) and the
phrases staff add (SearchSynonym, through search.services), on both backends."""

import pytest
from django.core.exceptions import ValidationError

from search.backends.base import SearchQuery
from search.models import SearchSynonym
from search.querying import synonyms, synonyms_changed
from search.selectors import product_search
from search.services import search_synonym_save
from tests.factories import StaffUserFactory
from tests.search.corpus import corpus_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_synonyms():
    synonyms_changed()
    yield
    synonyms_changed()  # rows roll back without delete(): forget them


def titles(text: str) -> set[str]:
    _results, products = product_search(query=SearchQuery(text=text, per_page=100))
    return {p.title for p in products}


def test_every_category_of_the_corpus_has_an_english_name():
    meanings = {w for words in synonyms().values() for w in words}
    for category in corpus_data()["categories"]:
        assert any(w in category["name"] for w in meanings), category["name"]


def test_a_phrase_staff_add_finds_products_at_once(
    corpus, corpus_backend, django_capture_on_commit_callbacks
):
    assert titles("chinese gooseberry") == set()

    with django_capture_on_commit_callbacks(execute=True):
        synonym = search_synonym_save(
            actor=StaffUserFactory(), phrase=" Chinese  Gooseberry ", words="猕猴桃，"
        )

    kiwis = {i.title for i in corpus.items if "猕猴桃" in i.title}
    assert kiwis <= titles("chinese gooseberry")
    assert (synonym.phrase, synonym.words) == ("chinese gooseberry", "猕猴桃")


def test_a_staff_phrase_replaces_the_files_entry(corpus, corpus_backend):
    SearchSynonym.objects.create(phrase="apple", words="苹果脆片")

    assert titles("apple") == {"静宁苹果脆片 30g×10袋"}


@pytest.mark.parametrize("phrase, words", [("", "猕猴桃"), ("猕猴桃", "猕猴桃"), ("kiwi", "kiwi")])
def test_a_synonym_needs_latin_letters_and_a_chinese_word(phrase, words):
    with pytest.raises(ValidationError):
        SearchSynonym(phrase=phrase, words=words).full_clean()
