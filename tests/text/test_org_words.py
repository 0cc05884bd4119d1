"""Organisation words in the parties' own languages read in English (text/orgwords.py)."""

from __future__ import annotations

import tomllib

from proscribe.text import orgwords, scripts
from proscribe.text.legal import GENERIC_WORDS
from proscribe.text.names import name_forms
from proscribe.text.orgwords import english_readings


def test_korean_bank_name_written_without_spaces_reads_as_english_org_words():
    assert english_readings("조선무역은행")[0] == "korea trading bank"


def test_korean_bureau_and_ministry_suffixes_read_after_a_dictionary_word():
    assert english_readings("정찰총국")[0] == "reconnaissance general bureau"
    assert "atomic energy industry ministry" in english_readings("원자력공업성")
    assert english_readings("조선로동당")[0] == "korea workers party"


def test_one_syllable_word_inside_a_korean_proper_name_stays_part_of_the_name():
    # 성 is "ministry" only after another dictionary word: 대성 is a proper name (Taesong)
    reading = english_readings("조선대성은행")[0]
    assert reading == "korea taesong bank"
    assert "ministry" not in reading


def test_korean_proper_name_part_is_transliterated_both_north_and_south():
    readings = english_readings("조선광선은행")
    assert "korea kwangson bank" in readings
    assert any("gwangseon" in r for r in readings)


def test_chinese_org_words_beyond_company_words_are_translated():
    assert english_readings("侦察总局")[0] == "reconnaissance general bureau"
    assert english_readings("伊朗国家石油公司")[0].startswith("iran national oil")
    assert english_readings("中國人民解放軍")[0] == "china peoples liberation army"  # traditional


def test_arabic_article_and_one_letter_prefixes_are_peeled_before_lookup():
    assert english_readings("المصرف التجاري السوري")[0] == "bank commercial syrian"
    assert english_readings("شركة زوايا للتنمية والإستثمار")[0].endswith("development investment")


def test_arabic_party_of_god_reads_in_english_and_in_its_usual_romanisation():
    readings = english_readings("حزب الله")
    assert "party god" in readings
    assert "hizb allah" in readings


def test_persian_guard_corps_name_reads_as_its_english_words():
    words = set(english_readings("سپاه پاسداران انقلاب اسلامی")[0].split())
    assert {"corps", "guard", "revolutionary", "islamic"} <= words


def test_russian_inflected_words_match_their_stems():
    assert english_readings("Министерство обороны Российской Федерации")[0] == (
        "ministry defence russian federation"
    )
    assert english_readings("Объединённая авиастроительная корпорация")[0] == "united aircraft corporation"


def test_a_name_without_dictionary_words_has_no_reading():
    assert english_readings("Роснефть") == ()
    assert english_readings("대성") == ()
    assert english_readings("Korea Trade Bank") == ()


def test_org_reading_is_an_extra_form_after_the_ordinary_ones():
    forms = [f.text for f in name_forms("조선무역은행", "Company")]
    ordinary = scripts.latin_forms("조선무역은행")
    assert forms[: len(ordinary)] == ordinary
    assert "korea trading bank" in forms[len(ordinary) :]


def test_latin_and_person_names_get_no_org_reading():
    assert [f.text for f in name_forms("Korea Trade Bank", "Company")] == ["korea trade bank"]
    person = [f.text for f in name_forms("김대성", "Person")]
    assert not any("ministry" in text or "bank" in text for text in person)
    assert all(orgwords.english_readings(text) == () for text in person)


def test_legal_forms_in_a_reading_are_tagged_like_any_legal_form():
    forms = [f.tokens for f in name_forms("شرکت ملی نفت ایران", "Company")]
    assert ("lf_co", "national", "oil", "iran") in forms


def test_org_words_file_names_its_sources_and_holds_every_section():
    text = orgwords.WORDS_PATH.read_text(encoding="utf-8")
    assert text.startswith("#") and "Sources:" in text
    data = tomllib.loads(text)
    for section in (
        "korean",
        "korean_suffix",
        "chinese",
        "chinese_suffix",
        "arabic",
        "persian",
        "arabic_romanised",
        "russian",
    ):
        assert data[section], section
    assert all(len(word) == 1 for word in data["korean_suffix"])


def test_chinese_city_prefix_is_capped_like_a_generic_word():
    assert {"beijing", "shanghai", "shenzhen", "guangdong"} <= GENERIC_WORDS
    # places that are also given names or surnames keep their full weight
    assert "xian" not in GENERIC_WORDS and "dalian" not in GENERIC_WORDS


def test_known_acronym_is_read_written_out_and_the_written_out_name_as_its_acronym():
    forms = [f.text for f in name_forms("IRGC Qods Force", "Organization")]
    assert forms[0] == "irgc qods force"
    assert "islamic revolution guards corps qods force" in forms
    assert "kkbc" in [f.text for f in name_forms("Korea Kwangson Banking Corp", "Company")]


def test_short_acronyms_and_person_names_are_not_expanded():
    # three-letter acronyms (ANA, MAK, ADF) are ordinary words and initials of many parties
    assert [f.text for f in name_forms("ANA Holdings", "Company")] == ["ana holdings"]
    assert [f.text for f in name_forms("Irgc Smith", "Person")] == ["irgc smith"]


def test_mined_acronyms_are_initials_of_their_expansion():
    table = orgwords.acronyms()
    assert table["irisl"] == "islamic republic of iran shipping lines"
    mined = tomllib.loads(orgwords.ACRONYMS_PATH.read_text(encoding="utf-8"))["mined"]
    for acronym, expansion in mined.items():
        initials = [w[0] for w in expansion.split()]
        letters = iter(initials)
        assert all(ch in letters for ch in acronym), (acronym, expansion)
    assert all(len(a) >= orgwords.MIN_ACRONYM_LETTERS for a in table)
