"""Phonetic keys: the distinctions other scripts lose are collapsed, ordinary Latin is left alone."""

from __future__ import annotations

import pytest

from proscribe.text import phonetic
from proscribe.text.scripts import latin_forms


def _keys_of(text: str) -> set[tuple[str, str]]:
    """Every query key of every token of every Latin form of ``text``."""
    return {
        key[:2] for form in latin_forms(text) for token in form.split() for key in phonetic.query_keys(token)
    }


def _list_keys(token: str) -> set[tuple[str, str]]:
    return {("v", phonetic.vowel_key(token)), ("c", phonetic.consonant_key(token))}


@pytest.mark.parametrize(
    "written",
    ["라브로프", "ラブロフ", "لافروف", "لاوروف", "לברוב", "拉夫罗夫"],
    ids=["hangul", "katakana", "arabic", "persian", "hebrew", "han"],
)
def test_lavrov_in_a_script_that_loses_distinctions_shares_a_key_with_the_latin_spelling(written):
    assert _keys_of(written) & _list_keys("lavrov")


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("세르게이", "sergey"),
        ("젤렌스키", "zelensky"),
        ("메드베데프", "medvedev"),
        ("メドベージェフ", "medvedev"),
        ("プーチン", "putin"),
        ("哈梅内伊", "khamenei"),
        ("خامنه\u200cای", "khamenei"),
    ],
)
def test_transliterations_share_a_key_with_the_usual_latin_spelling(written, latin):
    assert _keys_of(written) & _list_keys(latin)


@pytest.mark.parametrize("token", ["lopez", "robert", "johnson", "gonzalez", "muller", "patrick", "anderson"])
def test_ordinary_latin_tokens_get_no_query_key(token):
    assert phonetic.query_keys(token) == ()


def test_consonant_key_keeps_apart_what_arabic_and_hebrew_keep_apart():
    assert phonetic.consonant_key("smith") != phonetic.consonant_key("samad")  # t and d
    assert phonetic.consonant_key("lavrov") == phonetic.consonant_key("lafrwf")  # v written f


def test_long_vowels_written_in_arabic_must_be_where_the_latin_spelling_has_them():
    assert phonetic.consonants_agree("mhmwd", "mahmud")  # محمود
    assert not phonetic.consonants_agree("mhmwd", "muhammad")
    assert phonetic.consonants_agree("lafrwf", "lavrov")


@pytest.mark.parametrize("token", ["sangchol", "jianjun", "yuhang", "song", "jing"])
def test_native_korean_and_chinese_name_parts_get_no_syllabic_key(token):
    assert phonetic.syllabic_readings(token) == ()


def test_vowel_key_keeps_vowels_so_distinct_syllabic_names_stay_apart():
    assert phonetic.vowel_key("maria") != phonetic.vowel_key("mario")
    assert phonetic.vowel_key("sato") != phonetic.vowel_key("seto")


def test_short_keys_fetch_nothing():
    assert all(
        len(key) >= phonetic.MIN_VOWEL_KEY for kind, key, _ in phonetic.query_keys("kimi") if kind == "v"
    )
    assert phonetic.query_keys("ab") == ()
