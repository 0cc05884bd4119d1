"""Names are read whole, not as loose bags of near tokens.

East Asian names are read whole (``east_asian_unmatched_cap`` in matching.toml): a Chinese or
Korean name with a syllable left over on either side, or one syllable matched to another by a
typo allowance, is another person's name, so it does not alert; the same names written in
another romanisation, with a doubled letter or two letters swapped, still do. A Slavic given name is no abbreviation of the surname made from it (Roman /
Romanov)."""

from __future__ import annotations

import pytest


def _alerts_on(result: dict, caption_word: str) -> bool:
    return result["decision"] != "clear" and any(
        caption_word.lower() in r["caption"].lower() for r in result["results"]
    )


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Li Wei", "Fang"),  # LI Fang Wei: the given name is Fangwei, not Wei
        ("Ri Chol", "Chong"),  # Ri Chong-chol
        ("张宇航", "ZHANG"),  # Zhang Yuhang is not ZHANG Yu
        ("贺晓燕", "Xiaobing"),  # He Xiaoyan: another surname, Xiao only the start of Xiaobing
        ("王桂英", "Guoying"),  # Wang Guiying: gui and guo are two syllables, not a typo
        ("방민준", "Byong"),  # Bang Min-jun: bang and byong are two syllables
    ],
)
def test_a_syllable_left_over_or_changed_makes_another_east_asian_name(screen_one, query, listed):
    result = screen_one(query, "Person")
    assert not _alerts_on(result, listed), [(r["caption"], r["score"]) for r in result["results"]]


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("KIMM, Tong Chol", "Tong Chol"),  # a doubled letter
        ("Choe Ryoung Hae", "Ryong Hae"),  # one vowel more
        ("Kim Yeong-cheol", "Yong Chol"),  # Revised Romanisation against McCune-Reischauer
        ("Hwang Pyong-soo", "Pyong So"),  # a long vowel written twice
        ("최룡해", "Ryong Hae"),  # Hangul
    ],
)
def test_the_same_east_asian_name_in_another_spelling_still_alerts(screen_one, query, listed):
    result = screen_one(query, "Person")
    assert _alerts_on(result, listed), [(r["caption"], r["score"]) for r in result["results"]]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("yeong", "yong", True),
        ("cheol", "chol", True),
        ("pyong", "byong", True),
        ("ryoung", "ryong", True),
        ("lou", "luo", True),
        ("kimm", "kim", True),
        ("guiying", "guoying", False),
        ("bang", "byong", False),
        ("jian", "jiang", False),
        ("sonu", "song", False),
    ],
)
def test_romanisations_of_one_syllable_are_told_from_other_syllables(a, b, same):
    from proscribe.match.engine import _same_syllables

    assert _same_syllables(a, b) is same


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Роман Михайлов", "Romanov"),  # Roman Mikhailov is not Mikhail Romanov
        ("Максим Соколов", "SOKOLOVSKIY"),  # Sokolov is not short for Sokolovskiy
    ],
)
def test_a_given_name_is_no_abbreviation_of_the_surname_made_from_it(screen_one, query, listed):
    result = screen_one(query, "Person")
    assert not _alerts_on(result, listed), [(r["caption"], r["score"]) for r in result["results"]]


@pytest.mark.parametrize("query", ["Nicolas Maduro", "Nicolás Maduro", "Diosdado Cabello"])
def test_given_name_and_first_surname_find_a_listed_double_surname(screen_one, query):
    """MADURO MOROS, Nicolas: the second surname is often left out; the first one is the name."""
    result = screen_one(query, "Person")
    assert _alerts_on(result, query.split()[-1]), [(r["caption"], r["score"]) for r in result["results"]]


def test_a_second_surname_counts_less_than_the_first_when_missing():
    from proscribe.text.names import CORE, SECOND_SURNAME, name_forms

    for listed in ("MADURO MOROS, Nicolas", "Nicolás MADURO MOROS"):
        form = name_forms(listed, "Person")[0]
        assert form.tokens == ("nicolas", "maduro", "moros")
        assert form.roles == (CORE, CORE, SECOND_SURNAME), listed
    # a surname with a particle, an Arabic chain of given names, a Korean name: not two surnames
    for listed in ("BIN LADEN, Usama", "MOHAMMED ALI, Ahmed", "Kim JONG UN"):
        assert SECOND_SURNAME not in name_forms(listed, "Person")[0].roles, listed


@pytest.mark.parametrize("query", ["INTEGRITY TECHNOLOGY GR LTD", "INTEGRITY TECHN GROUP"])
def test_a_business_word_cut_short_still_names_the_listed_company(screen_one, query):
    """A 35-character field cuts GROUP to GR and TECHNOLOGY to TECHN; the company is the same."""
    result = screen_one(query, "Company")
    assert result["decision"] == "block", [(r["caption"], r["score"]) for r in result["results"]]
    assert "INTEGRITY TECHNOLOGY GROUP" in result["results"][0]["caption"].upper()
