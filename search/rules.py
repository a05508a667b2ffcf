"""Search's business rules, one home each: the synonyms staff add, and when a
rebuild is taken for dead."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from search.exceptions import SynonymPhraseInvalid, SynonymWordsMissing
from search.querying import synonym_key, synonym_words

SYNONYM_PHRASE_MAX_LENGTH = 60
SYNONYM_PHRASE_MAX_WORDS = 3  # the query reader matches phrases of up to three words
SYNONYM_WORDS_MAX_LENGTH = 200


@dataclass(frozen=True)
class SynonymChecked:
    phrase: str  # the key the query reader compares: Latin words, lower case
    words: str  # the Chinese words, space-separated, duplicates dropped


def synonym_check(*, phrase: str, words: str) -> SynonymChecked:
    """An English phrase and the Chinese words it means, as staff typed them,
    normalised the way search.querying reads queries; raises
    SynonymPhraseInvalid or SynonymWordsMissing."""
    key = synonym_key(phrase)
    if (
        not key
        or len(key) > SYNONYM_PHRASE_MAX_LENGTH
        or len(key.split()) > SYNONYM_PHRASE_MAX_WORDS
    ):
        raise SynonymPhraseInvalid()
    chinese = " ".join(synonym_words(words))
    if not chinese or len(chinese) > SYNONYM_WORDS_MAX_LENGTH:
        raise SynonymWordsMissing()
    return SynonymChecked(phrase=key, words=chinese)


def rebuild_stale_before(now: datetime) -> datetime:
    """A rebuild whose last heartbeat is older than this has died (killed,
    out of memory, its machine gone): it no longer holds outbox rows, and the
    next rebuild or outbox run clears it away. A live rebuild beats after every
    batch, a few seconds apart, so SEARCH_REBUILD_STALE_SECONDS (15 minutes by
    default) is far beyond any pause of a working one."""
    return now - timedelta(seconds=settings.SEARCH_REBUILD_STALE_SECONDS)
