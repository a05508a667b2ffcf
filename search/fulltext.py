"""The database backend's text index: which tokens of a product document go
where, and how an atom of a query plan (search.querying) is asked of them.

The tokens are the ones search.analysis already produces (jieba words,
pinyin, initials); nothing is analysed again by the database. Titles and
category names are also split the way Elasticsearch's standard analyzer splits
them (one token per hanzi, Latin and digit runs whole), so a Chinese word is
found as a phrase of its characters, exactly where Elasticsearch finds it.

PostgreSQL holds them in one ``tsvector`` (ProductSearchEntry.search_vector,
GIN-indexed), each token tagged with its kind and weighted by field:

======  ===========================  ======  =========================
tag     tokens                       weight  field
======  ===========================  ======  =========================
``c``   characters / Latin runs      A / B   title / category names
``w``   jieba words                  B C D   place / producer / description
``p``   pinyin words                 A B C   title / place / producer
``i``   initials                     A B C   title / place / producer
======  ===========================  ======  =========================

SQLite (``make run``) holds the same tokens in an FTS5 table, one column per
tag and field group (``FTS_COLUMNS``), kept by the same writer.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from search.querying import HANZI, INITIALS, PINYIN, PINYIN_EXACT, RAW, Atom

FTS_TABLE = "search_productsearchfts"
FTS_COLUMNS = (
    "title",
    "category",
    "words",
    "title_pinyin",
    "other_pinyin",
    "title_initials",
    "other_initials",
)

# Where each field's positions start: far enough apart that a phrase never
# runs from one field into the next (tsvector positions stop at 16,383).
_BASE = {"title": 1, "category": 1000, "place": 3000, "producer": 4000, "description": 5000}
_POSITION_MAX = 16383
_POSITIONS_PER_LEXEME = 256  # PostgreSQL keeps no more

# Elasticsearch's standard tokenizer, as far as product text needs it: each
# hanzi alone, letters and digits in runs ("2.5kg" is one token).
_TEXT_TOKEN = re.compile(r"[\u4e00-\u9fff]|[0-9a-z]+(?:\.[0-9a-z]+)*")


def text_tokens(text: str) -> list[str]:
    return _TEXT_TOKEN.findall(unicodedata.normalize("NFKC", text or "").lower())


@dataclass(frozen=True)
class Clause:
    """A place a query atom can match, and the weight it adds to relevance
    when it does (the same weights the Elasticsearch backend adds)."""

    tsquery: str  # PostgreSQL: tsquery text over search_vector
    fts: str  # SQLite: FTS5 query over FTS_TABLE
    weight: int


# --- documents --------------------------------------------------------------


def _category_tokens(names: str) -> list[str | None]:
    tokens = []
    for name in names.split():
        tokens += [*text_tokens(name), None]  # between two names: no phrase across them
    return tokens


# Each field's token groups: (tag, the document's attribute, its tokens).
# Every group of a field numbers its tokens from the field's base.
_FIELDS = {
    "title": (
        ("c", "title", text_tokens),
        ("p", "title_pinyin", str.split),
        ("i", "title_initials", str.split),
    ),
    "category": (("c", "category_names", _category_tokens),),
    "place": (
        ("w", "place_words", str.split),
        ("p", "place_pinyin", str.split),
        ("i", "place_initials", str.split),
    ),
    "producer": (
        ("w", "producer_words", str.split),
        ("p", "producer_pinyin", str.split),
        ("i", "producer_initials", str.split),
    ),
    "description": (("w", "description_words", str.split),),
}


def _field_values(d, field: str) -> tuple[str, ...]:
    return tuple(getattr(d, attribute) or "" for _tag, attribute, _tokens in _FIELDS[field])


def _field_items(field: str, values: tuple[str, ...]) -> tuple[tuple[str, str, int], ...]:
    items = []
    for (tag, _attribute, tokens), value in zip(_FIELDS[field], values, strict=True):
        position = _BASE[field]
        for token in tokens(value):
            if token is not None:
                items.append((tag, token, position))
            position += 1
    return tuple(items)


def _each_field(d, work, cached_work):
    """(field, what ``work`` makes of the field's values) for every field of
    ``d``. The same place, producer, category and description text recurs
    across many products (a county's, a producer's listings), so those go
    through ``cached_work``; a title is its product's own."""
    for field in _FIELDS:
        make = work if field == "title" else cached_work
        yield field, make(field, _field_values(d, field))


_field_items_cached = lru_cache(maxsize=8192)(_field_items)


def document_fields(d) -> dict[str, list[tuple[str, str, int]]]:
    """A document's tokens by field: (tag, token, position) each."""
    return {
        field: list(items) for field, items in _each_field(d, _field_items, _field_items_cached)
    }


# A private-use character: a token to FTS5's unicode61 tokenizer that no query
# can contain (queries keep hanzi, Latin letters and digits only).
_FTS_GAP = "\ue000"

_WEIGHT = {"title": "A", "category": "B", "place": "B", "producer": "C", "description": "D"}


def _quote_lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_text(d) -> str:
    """The document as tsvector input text: every lexeme with its positions
    and field weights, written out so PostgreSQL parses nothing. Each field is
    written on its own; PostgreSQL merges a lexeme found in several fields
    into one, keeping its first 256 positions, as a vector keeps them."""
    segments = _each_field(d, _vector_text, _vector_text_cached)
    return " ".join(segment for _field, segment in segments if segment)


def _vector_text(field: str, values: tuple[str, ...]) -> str:
    weight = _WEIGHT[field]
    positions: dict[str, list[str]] = {}
    for tag, token, position in _field_items(field, values):
        entries = positions.setdefault(tag + token, [])
        if len(entries) < _POSITIONS_PER_LEXEME:
            entries.append(f"{min(position, _POSITION_MAX)}{weight}")
    return " ".join(
        f"{_quote_lexeme(lexeme)}:{','.join(entries)}" for lexeme, entries in positions.items()
    )


_vector_text_cached = lru_cache(maxsize=8192)(_vector_text)


def fts_row(d) -> dict[str, str]:
    """The document as a row of the SQLite FTS5 table (space-separated tokens)."""
    fields = document_fields(d)

    def tokens(field, tag):
        return " ".join(token for t, token, _p in fields.get(field, []) if t == tag)

    def joined(*parts):
        return " ".join(p for p in parts if p)

    # Category names one after the other, a token no query holds between them,
    # so no phrase runs from one name into the next.
    names = [" ".join(text_tokens(n)) for n in d.category_names.split()]
    return {
        "title": tokens("title", "c"),
        "category": f" {_FTS_GAP} ".join(n for n in names if n),
        "words": joined(*(tokens(f, "w") for f in ("place", "producer", "description"))),
        "title_pinyin": tokens("title", "p"),
        "other_pinyin": joined(tokens("place", "p"), tokens("producer", "p")),
        "title_initials": tokens("title", "i"),
        "other_initials": joined(tokens("place", "i"), tokens("producer", "i")),
    }


# --- queries ----------------------------------------------------------------


def _ts_phrase(tokens: list[str], tag: str, weights: str) -> str:
    return " <-> ".join(f"{_quote_lexeme(tag + t)}:{weights}" for t in tokens)


def _fts_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def atom_clauses(atom: Atom) -> list[Clause]:
    """Where the atom matches (any one clause is enough), with weights."""
    clauses = []
    for value in atom.values:
        if atom.kind in (HANZI, RAW):
            tokens = text_tokens(value)
            if not tokens:
                continue
            phrase = _fts_string(" ".join(tokens))
            clauses.append(
                Clause(
                    _ts_phrase(tokens, "c", "A"),
                    f"title : {phrase}",
                    10 if atom.kind == HANZI else 8,
                )
            )
            if atom.kind == RAW:
                continue
            # What a product is filed under outweighs a word in its title (茶叶蛋).
            clauses.append(Clause(_ts_phrase(tokens, "c", "B"), f"category : {phrase}", 12))
            word = value.lower()
            clauses.append(
                Clause(
                    _quote_lexeme("w" + word),
                    f"words : {_fts_string(word)}",
                    2 if len(value) >= 2 else 1,
                )
            )
        elif atom.kind == PINYIN:
            word = _fts_string(value)
            clauses.append(Clause(f"{_quote_lexeme('p' + value)}:*A", f"title_pinyin : {word}*", 6))
            clauses.append(
                Clause(f"{_quote_lexeme('p' + value)}:*BC", f"other_pinyin : {word}*", 2)
            )
        elif atom.kind == INITIALS:
            word = _fts_string(value)
            clauses.append(
                Clause(f"{_quote_lexeme('i' + value)}:*A", f"title_initials : {word}*", 12)
            )
            clauses.append(
                Clause(f"{_quote_lexeme('i' + value)}:*BC", f"other_initials : {word}*", 1)
            )
    if atom.kind == PINYIN_EXACT and atom.values:  # typo readings: titles only
        clauses.append(
            Clause(
                " | ".join(f"{_quote_lexeme('p' + v)}:A" for v in atom.values),
                "title_pinyin : (" + " OR ".join(_fts_string(v) for v in atom.values) + ")",
                3,
            )
        )
    return clauses


def any_of(queries: list[str], *, fts: bool) -> str:
    """Queries joined by OR (an empty list matches nothing: None)."""
    if not queries:
        return ""
    return (" OR " if fts else " | ").join(f"({q})" for q in queries)


def all_of(queries: list[str], *, fts: bool) -> str:
    return (" AND " if fts else " & ").join(f"({q})" for q in queries)


def title_phrase(phrase: str) -> Clause | None:
    """The query's Chinese text run together, whole in the title: a bonus."""
    tokens = text_tokens(phrase)
    if not tokens:
        return None
    return Clause(_ts_phrase(tokens, "c", "A"), f"title : {_fts_string(' '.join(tokens))}", 20)
