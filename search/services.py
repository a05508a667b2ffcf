"""Search's writes: the synonyms staff add (the maintained list is
search/data/synonyms.toml; a phrase added here replaces the file's entry)."""

from django.db import transaction

from catalogue.cache import catalogue_version_bump
from common.roles import is_platform_staff
from search.exceptions import SynonymNotFound, SynonymStaffOnly
from search.models import SearchSynonym
from search.querying import synonym_key, synonyms_changed
from search.rules import synonym_check


def search_synonym_save(*, actor, phrase: str, words: str) -> SearchSynonym:
    """Add an English phrase, or replace its Chinese words when it exists (the
    same phrase twice is one row: a repeated submission changes nothing more).
    Searches read the new table as soon as the transaction commits."""
    if not is_platform_staff(actor):
        raise SynonymStaffOnly()
    checked = synonym_check(phrase=phrase, words=words)
    with transaction.atomic():
        synonym, _created = SearchSynonym.objects.update_or_create(
            phrase=checked.phrase, defaults={"words": checked.words}
        )
        transaction.on_commit(synonyms_changed)
        catalogue_version_bump()  # cached listings were found with the old table
    return synonym


def search_synonym_delete(*, actor, phrase: str) -> None:
    """Remove a phrase staff added; the file's entry for it, if any, applies again."""
    if not is_platform_staff(actor):
        raise SynonymStaffOnly()
    with transaction.atomic():
        deleted, _ = SearchSynonym.objects.filter(phrase=synonym_key(phrase)).delete()
        if not deleted:
            raise SynonymNotFound()
        transaction.on_commit(synonyms_changed)
        catalogue_version_bump()
