"""Titles, offices, ranks and honorifics are dropped from the name before matching (text/titles.py)."""

from __future__ import annotations

import pytest

from proscribe.text.names import name_forms
from proscribe.text.titles import has_office_title, titles_in


def _first(name: str, schema: str = "Person") -> str:
    return name_forms(name, schema)[0].text


@pytest.mark.parametrize(
    "name,core",
    [
        ("President Lukashenko", "lukashenko"),
        ("Präsident Putin", "putin"),
        ("Président Macron", "macron"),
        ("Presidente Maduro", "maduro"),
        ("Президент Путин", "putin"),
        ("Премьер-министр Мишустин", "mishustin"),
        ("Генерал-полковник Иванов", "ivanov"),
        ("Prime Minister Mishustin", "mishustin"),
        ("Supreme Leader Khamenei", "khamenei"),
        ("Grand Ayatollah Sistani", "sistani"),
        ("His Excellency President Aliyev", "aliyev"),
        ("Orbán Viktor elnök", "orban viktor"),
        ("Orbán Viktor miniszterelnök", "orban viktor"),
    ],
)
def test_a_title_before_or_after_the_name_is_dropped_from_the_core_name(name, core):
    assert _first(name) == core


def test_han_and_hangul_titles_written_onto_the_name_are_dropped():
    assert _first("习近平主席") == _first("习近平")
    assert _first("김정은 위원장") == _first("김정은")
    assert _first("김정은국무위원장") == _first("김정은")
    assert _first("윤석열 대통령") == _first("윤석열")


def test_arabic_and_persian_title_words_before_the_name_are_dropped():
    assert _first("الرئيس بشار الأسد") == _first("بشار الأسد")
    assert _first("رئیس‌جمهور روحانی") == _first("روحانی")
    assert _first("آیت‌الله خامنه‌ای") == _first("خامنه‌ای")


@pytest.mark.parametrize("name", ["Sheikh", "President", "General", "M.N. SHEIKH", "John Major"])
def test_a_name_that_is_a_title_word_stays_a_name(name):
    assert len(name_forms(name, "Person")[0].tokens) == len(name.replace(".", " ").split())


def test_an_office_followed_by_a_joining_word_is_no_title_before_a_name():
    assert _first("President of Iran", "LegalEntity") == "president of iran"


def test_a_han_name_that_only_ends_like_a_title_keeps_its_syllables():
    # two characters are left at least: a one-character remainder is no name without its title
    assert _first("金主席", "Person") == name_forms("金主席", "Person")[0].text
    assert len(name_forms("金主席", "Person")[0].tokens) >= 2


def test_offices_and_ranks_are_told_from_courtesy_titles():
    assert has_office_title("President Lukashenko")
    assert has_office_title("Putin elnök")
    assert has_office_title("习近平主席")
    assert has_office_title("Генерал Шойгу")
    assert not has_office_title("Mr Garza")
    assert not has_office_title("Господин Путин")
    assert not has_office_title("김정은 씨")
    assert not has_office_title("Lukashenko")
    assert titles_in("LUKASHENKO, President Alexander") == ("president",)


@pytest.mark.parametrize(
    "name,core",
    [
        ("Prezydent Putin", "putin"),
        ("Verteidigungsminister Schoigu", "schoigu"),
        ("Premier Medvedev", "medvedev"),
    ],
)
def test_titles_of_more_languages_and_german_compound_offices_are_dropped(name, core):
    assert _first(name) == core


def test_a_company_name_that_begins_like_a_title_keeps_it():
    assert _first("Premier Oil", "LegalEntity") == "premier oil"
    assert _first("Director Services LLC", "LegalEntity").startswith("director services")
