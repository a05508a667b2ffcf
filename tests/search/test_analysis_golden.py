"""Making the analysis cheaper changes no token that search matches: every
title, producer name, place chain and query of the search corpus
(tests/search/corpus), of the demo catalogue (demo/data) and of 300 products
of benchmarks/search.py's generator (seed 42), and their descriptions, are
analysed exactly as before. golden/analysis.json was written by the analysis
of commit 06e15fd (one pypinyin pass per style); it is not regenerated from
the code it checks."""

import json
import random
from pathlib import Path

import pytest
from pypinyin import Style, lazy_pinyin

from search import analysis

GOLDEN = json.loads((Path(__file__).parent / "golden" / "analysis.json").read_text("utf-8"))


def test_the_golden_set_is_not_empty():
    assert len(GOLDEN["analyse"]) > 800
    assert len(GOLDEN["words_only"]) > 300
    assert len(GOLDEN["query_terms"]) > 40


@pytest.mark.parametrize("part", ["analyse", "query_terms"])
def test_titles_names_places_and_queries_are_analysed_as_before(part):
    function = getattr(analysis, part)
    differ = [
        (text, expected, actual)
        for text, *expected in GOLDEN[part]
        if (actual := [function(text)[k] for k in ("words", "pinyin", "initials")]) != expected
    ]
    assert differ == []


def test_descriptions_are_split_into_the_same_words():
    differ = [
        (text, expected, actual)
        for text, expected in GOLDEN["words_only"]
        if (actual := analysis.words_only(text)) != expected
    ]
    assert differ == []


def _two_passes(text: str) -> tuple[str, str]:
    return (
        "".join(lazy_pinyin(text, errors="default")).lower(),
        "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")).lower(),
    )


def test_one_pypinyin_pass_reads_what_two_passes_read():
    # Hanzi with and without a reading, Latin, digits, punctuation, tone
    # marks, the marker character itself and characters outside the BMP.
    alphabet = [chr(c) for c in range(0x4E00, 0x9FA6, 7)] + [
        *"abcXYZ019 .,-_/ü'\"ā〇々Ⅲ",
        "\ue001",
        "㐀",
        "😀",
        "嗯",
        "呣",
    ]
    rng = random.Random(17)
    texts = ["", "嗯", "呣", "绿茶", "女儿红", "2.5kg 尝鲜装", "\ue001木耳", "柞水木耳\ue001x"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 10))) for _ in range(3000)]
    differ = [t for t in texts if analysis.readings_of(t) != _two_passes(t)]
    assert differ == []
