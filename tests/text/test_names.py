"""Name forms: the one normalisation shared by the index and every query."""

from __future__ import annotations

from proscribe.text.names import CORE, LEGAL, MAX_TOKENS, MIDDLE, name_forms, name_limits_exceeded


def tokens(name, schema="LegalEntity"):
    return name_forms(name, schema)[0].tokens


def test_person_comma_form_is_reordered_given_names_first():
    form = name_forms("PUTIN, Vladimir Vladimirovich", "Person")[0]
    assert form.tokens == ("vladimir", "vladimirovich", "putin")
    assert form.roles == (CORE, MIDDLE, CORE)


def test_company_comma_is_just_punctuation_and_legal_form_is_tagged():
    assert tokens("INTEGRITY TECHNOLOGY GROUP, INCORPORATED", "Company") == ("integrity", "technology", "group", "lf_inc")


def test_abbreviation_dots_are_dropped_not_spaced():
    assert tokens("SIS d.o.o.", "Company") == tokens("SIS DOO", "Company") == ("sis", "lf_eastern")


def test_apostrophes_join_and_hyphens_split():
    assert tokens("O'Brien", "Person") == ("obrien",)
    assert tokens("Kim Jong-un", "Person") == ("kim", "jong", "un")


def test_honorifics_are_dropped_from_person_names():
    assert tokens("Dr. Ayman AL-ZAWAHIRI", "Person") == ("ayman", "al", "zawahiri")


def test_legal_forms_only_become_tags_only():
    form = name_forms("Co., Ltd.", "Company")[0]
    assert all(role == LEGAL for role in form.roles)


def test_control_characters_and_zero_width_spaces_are_removed():
    assert tokens("Vla\u200bdimir\x00 Putin", "Person") == ("vladimir", "putin")


def test_long_names_are_not_cut_and_the_safety_bound_is_reported():
    long_name = " ".join(f"word{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(40))
    assert len(name_forms(long_name, "Company")[0].tokens) == 40
    assert name_limits_exceeded(long_name) is None
    form = name_forms("word " * 5000, "Person")[0]
    assert len(form.tokens) == MAX_TOKENS
    assert "screened" in name_limits_exceeded("word " * 5000, "Person")


def test_names_without_letters_or_digits_give_no_form():
    assert name_forms("  --- ", "Person") == ()


def test_chinese_company_name_gives_romanised_forms_with_translated_company_words():
    texts = [" ".join(f.tokens) for f in name_forms("永信至诚科技集团股份有限公司", "Company")]
    assert "yongxin zhicheng technology group lf_ltd" in texts
