"""Han text read as a transcribed foreign name (Xinhua table) and Korean names read from Hanja."""

from __future__ import annotations

import pytest

from proscribe.text.scripts import latin_forms


@pytest.mark.parametrize(
    ("han", "reading"),
    [("绍伊古", "shoigu"), ("普京", "putin"), ("哈梅内伊", "hamenei"), ("拉夫罗夫", "lafulofu")],
)
def test_a_han_transcription_is_read_as_the_foreign_name(han, reading):
    assert reading in latin_forms(han)[:4]


def test_the_middle_dot_separates_the_parts_of_a_transcribed_name():
    assert "serugei lafulofu" in latin_forms("谢尔盖·拉夫罗夫")[:4]


def test_the_pinyin_reading_stays_first():
    assert latin_forms("拉夫罗夫")[0] == "lafu luofu"
    assert latin_forms("习近平")[:2] == ["xi jinping", "jinping xi"]


def test_a_name_with_a_character_outside_the_table_is_no_transcription():
    # 习 and 近 transcribe no foreign syllable: the Chinese person's forms only.
    assert latin_forms("习近平") == ["xi jinping", "jinping xi", "xi jin ping", "xijinping"]


@pytest.mark.parametrize(
    ("hanja", "korean"),
    [("金正恩", "kim jong un"), ("金與正", "kim yo jong"), ("崔龍海", "choe ryong hae")],
)
def test_a_korean_name_in_hanja_is_read_in_korean(hanja, korean):
    assert korean in latin_forms(hanja)[:4]


def test_a_two_character_chinese_name_gets_no_korean_reading():
    assert not any(form.startswith(("lee", "ri ")) for form in latin_forms("李明"))
