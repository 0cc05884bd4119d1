"""The one reading of a name (proscribe.text.render): each disguise a screen hides is undone."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from proscribe.text import render
from proscribe.text.confusables import SHAPE_EXTRAS, TO_LATIN, script_of
from proscribe.text.identifiers import normalise_identifier, validate_uscc
from proscribe.text.names import clean, disguises, name_forms, name_limits_exceeded
from proscribe.text.render import readings, render_name


def texts(name: str) -> list[str]:
    return [r.text for r in readings(name)]


def form_texts(name: str, schema: str = "LegalEntity") -> list[str]:
    return [f.text for f in name_forms(name, schema)]


# -- class 2: homoglyphs whose transliteration differs from their look ---------------------------


def test_homoglyphs_in_a_latin_word_are_folded_to_the_latin_skeleton_before_transliteration():
    # Cyrillic Р (er, "r") and Greek Ρ (rho, "r") look like P; Н (en) like H; В (ve) like B.
    for disguised in ("\u0420UTIN", "\u03a1UTIN", "PUT\u0406N", "\u0440utin"):
        assert render_name(disguised).text.lower() == "putin", disguised
    assert form_texts("\u0420UTIN, Vladimir Vladimirovich", "Person")[0] == "vladimir vladimirovich putin"
    assert form_texts("MA\u041dAN AIR")[0] == "mahan air"
    assert form_texts("\u0412ANK MELLI IRAN")[0] == "bank melli iran"
    assert "look-alike letters folded (Cyrillic→Latin)" in disguises("\u0420UTIN")


def test_a_latin_look_alike_inside_a_cyrillic_word_is_read_as_cyrillic():
    assert render_name("ПУТИH").text == "ПУТИН"  # Latin H among Cyrillic letters
    assert form_texts("ПУТИH", "Person")[0] == form_texts("ПУТИН", "Person")[0]


def test_a_word_of_look_alikes_in_a_latin_name_is_read_as_latin_first_and_transliterated_too():
    forms = form_texts("ВАNК MELLI IRAN")  # mixed word: folded outright
    assert forms[0] == "bank melli iran"
    forms = form_texts("МАНАN AIR")
    assert forms[0] == "mahan air"
    # A whole word of Cyrillic look-alikes next to Latin words: the Latin reading comes first.
    forms = form_texts("ВАНК MELLI")
    assert forms[0] == "bahk melli" and "vank melli" in forms


def test_genuine_cyrillic_and_greek_names_keep_their_transliteration():
    assert form_texts("Путин Владимир Владимирович", "Person")[0] == "putin vladimir vladimirovich"
    assert len(readings("Путин Владимир")) == 1
    assert len(readings("Ротенберг Роман Борисович")) == 1
    assert form_texts("Ευάγγελος Βενιζέλος", "Person")[0] == "evangelos venizelos"
    # A name all of whose letters look Latin is screened both ways, the transliteration first.
    forms = form_texts("РАСКЕТ")
    assert forms[0] == "rasket" and "packet" in forms


def test_the_look_alike_table_agrees_with_unicode_tr39_where_icu_is_installed():
    icu = pytest.importorskip("icu")
    checker = icu.SpoofChecker()

    def skeleton(text: str) -> str:
        return checker.getSkeleton(0, text)

    disagree = []
    for ch, latin in TO_LATIN.items():
        if ch in SHAPE_EXTRAS or script_of(ch) == "Cherokee" and ch != ch.upper():
            continue  # drawn as Latin small capitals; Cherokee small letters follow their capitals
        if skeleton(ch) not in (skeleton(latin), skeleton(latin.swapcase())):
            disagree.append(ch)
    assert not disagree


# -- class 3: invisible and format characters, bidi, look-alike scripts ---------------------------


@pytest.mark.parametrize(
    "disguised",
    [
        "MA\u202dHAN\u202c AIR",  # left-to-right override around a piece of the word
        "MA\u202aHAN\u202c AIR",  # embedding
        "MA\u2066HAN\u2069 AIR",  # isolate
        "\u202eRIA NAHAM\u202c",  # right-to-left override of reversed text
        "\u202eNAHAM\u202c AIR",
        "MA\u200bHAN\u200d AIR",  # zero-width space, joiner
        "MA\u00adHAN AIR",  # soft hyphen
        "MA\u2060HAN\ufeff AIR",  # word joiner, BOM
        "MA\U000e0041\U000e007fHAN AIR",  # tag characters
        "MA\ufe0fHAN\U000e0100 AIR",  # variation selectors
        "M\u0489A\u0489H\u0489A\u0489N\u0489 AIR",  # enclosing combining marks
        "M\u20ddAHAN AIR",
        "M\u0336A\u0336H\u0336A\u0336N\u0336 AIR",  # strike-through marks
        "M\u0301\u0302\u0303AHAN AIR",  # a stack of marks
        "\u13b7\u13aa\u13bb\u13aaN AIR",  # Cherokee look-alikes
        "\ua4df\ua4ee\ua4e7\ua4ee\ua4e0 AIR",  # Lisu look-alikes
        "\uff2d\uff21\uff28\uff21\uff2e\u3000\uff21\uff29\uff32",  # full-width
        "\U0001d40c\U0001d400\U0001d407\U0001d400\U0001d40d AIR",  # mathematical bold
        "\u24c2\u24b6\u24bd\u24b6\u24c3 AIR",  # circled
        "\U0001f15c\U0001f150\U0001f157\U0001f150\U0001f15d AIR",  # negative circled
        "\u24a8\u249c\u24a3\u249c\u24a9 AIR",  # parenthesised
    ],
)
def test_invisible_characters_bidi_and_look_alike_scripts_render_as_the_reader_sees(disguised):
    assert form_texts(disguised)[0] == "mahan air"
    assert disguises(disguised)


@pytest.mark.parametrize(
    "separator", ["\t", "\x00", "\x1f", "\u2028", "\u2029", "\u3164", "\u115f", "\u2800", "\x85"]
)
def test_a_break_inside_a_word_is_read_both_joined_and_split(separator):
    forms = form_texts(f"MA{separator}HAN AIR")
    assert forms[0] == "mahan air" and "ma han air" in forms
    # Between words, the same character is just a word break.
    assert form_texts(f"MAHAN{separator}AIR")[:2] == ["mahanair", "mahan air"] or "mahan air" in form_texts(
        f"MAHAN{separator}AIR"
    )
    assert form_texts(f"MAHAN {separator} AIR") == ["mahan air"]


def test_rendering_is_idempotent_so_clean_then_forms_equals_forms():
    samples = [
        "MA\u202dHAN\u202c AIR",
        "MA\tHAN AIR",
        "&amp;#77;AHAN&nbsp;AIR",
        "\u0420UTIN, Vladimir",
        "M A H A N AIR",
        "ПУТИH",
        "\u202eRIA NAHAM\u202c",
    ]
    for sample in samples:
        once = render_name(sample).text
        assert render_name(once).text == once
        assert name_forms(clean(sample), "Person") == name_forms(sample, "Person")


def test_every_format_character_is_dropped():
    bidi_overrides = {0x202D, 0x202E}  # these reorder what follows (tested above)
    for cp in range(sys.maxunicode + 1):
        if unicodedata.category(chr(cp)) == "Cf" and cp not in bidi_overrides:
            assert render_name(f"AB{chr(cp)}CD").text == "ABCD", hex(cp)


# -- class 11: markup, encodings, split letters, digits for letters -------------------------------


@pytest.mark.parametrize(
    "disguised, undone",
    [
        ("&#77;AHAN AIR", render.HTML_ENTITIES),
        ("&#x4D;&#X41;HAN AIR", render.HTML_ENTITIES),
        ("MAHAN&nbsp;AIR", render.HTML_ENTITIES),
        ("MAHAN &amp;amp; AIR", render.HTML_ENTITIES),
        ("&lt;b&gt;MAHAN&lt;/b&gt; AIR", render.HTML_TAGS),
        ("<b>MAHAN</b> AIR", render.HTML_TAGS),
        ("<span style='x'>MA</span>HAN<br/>AIR", render.HTML_TAGS),
        ("MA<!-- x -->HAN AIR", render.HTML_TAGS),
        ("MAHAN%20AIR", render.PERCENT),
        ("%4D%41%48%41%4E%20%41%49%52", render.PERCENT),
        ("MAHAN%2520AIR", render.PERCENT),
        ("=?utf-8?b?TUFIQU4gQUlS?=", render.MIME),
        ("=?UTF-8?Q?MAHAN_AIR?=", render.MIME),
    ],
)
def test_markup_and_encodings_are_decoded(disguised, undone):
    assert form_texts(disguised)[0] == "mahan air"
    assert undone in disguises(disguised)


def test_text_that_only_looks_like_markup_is_left_alone():
    assert render_name("Company <Holdings> Ltd").text == "Company <Holdings> Ltd"
    assert render_name("AT&T Inc").text == "AT&T Inc"
    assert render_name("100% Pure 50%AB").text == "100% Pure 50%AB"  # %AB alone is not UTF-8


@pytest.mark.parametrize(
    "disguised",
    [
        "M A H A N AIR",
        "M.A.H.A.N AIR",
        "M. A. H. A. N. AIR",
        "M-A-H-A-N AIR",
        "M*A*H*A*N AIR",
        "M_A_H_A_N AIR",
        "M  A  H  A  N AIR",
        "MAHAN A I R",
        "M|A|H|A|N AIR",
    ],
)
def test_letters_spaced_or_starred_apart_are_rejoined(disguised):
    forms = form_texts(disguised)
    assert "mahan air" in forms
    assert render.SPACED in disguises(disguised)


def test_initials_keep_their_own_reading():
    assert form_texts("A B Smith", "Person") == ["a b smith"]
    forms = form_texts("J R R Tolkien", "Person")
    assert forms[0] == "j r r tolkien" and "jrr tolkien" in forms


@pytest.mark.parametrize(
    "disguised", ["MA-HAN AIR", "MAH_AN AIR", "MAH|AN AIR", "MA*HAN AIR", "MAH/AN AIR", "MA~HAN AIR"]
)
def test_a_symbol_inside_a_word_is_read_with_the_word_rejoined(disguised):
    forms = form_texts(disguised)
    assert "mahan air" in forms
    assert render.SPLIT in disguises(disguised)


def test_hyphenated_names_keep_the_hyphen_split_form_first():
    assert form_texts("Kim Jong-un", "Person")[0] == "kim jong un"
    assert "kim jongun" in form_texts("Kim Jong-un", "Person")


@pytest.mark.parametrize(
    "disguised, plain",
    [
        ("M4HAN AIR", "mahan air"),
        ("1NTEGR1TY TECHNOLOGY", "integrity technology"),
        ("M@HAN AIR", "mahan air"),
        ("BANK M3LL1 1RAN", "bank melli iran"),
        ("T3J4RAT", "tejarat"),
        ("$EPAH", "sepah"),
        ("R0SNEFT", "rosneft"),
        ("MI55ILE", "missile"),
        ("PU7IN", "putin"),
        ("8ANK", "bank"),
    ],
)
def test_digits_and_signs_written_for_letters_are_read_as_letters(disguised, plain):
    forms = form_texts(disguised)
    assert plain in forms
    assert render.DIGITS in disguises(disguised)


def test_names_with_real_numbers_keep_their_plain_form_first():
    for name in [
        "3M Company",
        "7-Eleven",
        "WEB3 Holding",
        "Boeing 747",
        "A1 Telekom",
        "148SH LIMITED",
        "Lab49",
    ]:
        assert name_forms(name)[0] == _plain_forms(name)[0], name
    # A number after a name, a number with one letter, more digits than letters: no other reading.
    for name in ["WEB3 Holding", "Lab49", "3M", "148SH", "A380"]:
        assert len(readings(name)) == 1, name


def _plain_forms(name: str):
    """The forms of the name's first reading alone (no digit reading)."""
    from proscribe.text.names import _reading_forms

    return _reading_forms(render_name(name).text, "LegalEntity", None)


# -- low: a name of only invisible characters is empty ------------------------------------------


@pytest.mark.parametrize(
    "invisible",
    [
        "\u200b\u200c\u200d",
        "\u2060\ufeff",
        "\U000e0041\U000e0042",
        "\u3164\u3164",
        "\u2800",
        "\u202e\u202c",
        "&nbsp;&#8203;",
        "<b></b>",
        "\u0489\u0489",
        "\x00\t\x1f",
        "%E2%80%8B",
    ],
)
def test_a_name_of_only_invisible_characters_renders_empty(invisible):
    assert clean(invisible) == ""
    assert name_forms(invisible, "Person") == ()


# -- no silent caps ---------------------------------------------------------------------------------


def test_a_long_name_is_not_cut_silently():
    name = " ".join(["MAHAN"] * 30 + ["AIR"])
    assert name_forms(name)[0].tokens[-1] == "air"
    assert name_limits_exceeded(name) is None
    assert name_limits_exceeded("MAHAN AIR " * 300)  # 600 words
    assert name_limits_exceeded("X" * 30_000)


# -- class 21: identifier homoglyphs -------------------------------------------------------------


def test_look_alike_letters_and_foreign_digits_in_identifiers_are_folded():
    itg = "91110108562135265P"
    assert validate_uscc(itg) == (True, None)
    for disguised in (
        itg[:-1] + "\u0420",  # Cyrillic Р
        itg[:-1] + "\u03a1",  # Greek Ρ
        "\uff19\uff11\uff11\uff11" + itg[4:],  # full-width digits
        "\u0669\u0661\u0661\u0661" + itg[4:],  # Arabic-Indic digits
        itg[:6] + "\u200b" + itg[6:],  # zero-width space
    ):
        assert validate_uscc(disguised) == (True, None), disguised
        keys = normalise_identifier("uscc", disguised)
        assert keys[0].key == f"uscc:{itg}" and keys[0].valid and keys[0].strong
        assert keys[0].disguise
        assert normalise_identifier("registrationNumber", disguised)[0].key == f"uscc:{itg}"
    # BIC with a Cyrillic М and Е.
    assert normalise_identifier("swift_bic", "\u041c\u0415LIGB2L")[0].key == "bic:MELIGB2L"


def test_an_identifier_invalid_after_folding_says_so_with_the_disguise():
    keys = normalise_identifier("uscc", "9111010856213526\u0420\u0416")
    assert keys[0].valid is False
    assert "Ж" in keys[0].reason and "look-alike" in keys[0].reason


def test_international_website_names_are_not_folded():
    assert normalise_identifier("website", "https://пример.рф")[0].key == "web:xn--e1afmkfd.xn--p1ai"


def test_free_text_is_read_the_same_way():
    from proscribe.text.names import normalise_text

    assert (
        normalise_text("Invoice 12 for MA\u202dHAN\u202c AIR tickets") == "invoice 12 for mahan air tickets"
    )
    assert normalise_text("pay &#77;AHAN&nbsp;AIR\tnow") == "pay mahan air now"
    assert normalise_text("\u0420UTIN") == "putin"


def test_two_words_glued_at_a_capital_are_also_read_apart():
    from proscribe.text.render import readings

    assert [r.text for r in readings("President\u200dPutin")] == ["PresidentPutin", "President Putin"]
    assert [r.text for r in readings("ВладимирПутин")][1] == "Владимир Путин"


def test_a_name_with_an_inner_capital_after_one_letter_is_read_as_written_only():
    from proscribe.text.render import readings

    assert [r.text for r in readings("McDonald")] == ["McDonald"]
