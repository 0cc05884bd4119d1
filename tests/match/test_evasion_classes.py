"""Disguised listed names, end to end: each evasion class of issue 19 that the one reading of a
name undoes (proscribe.text.render), applied by a transformation to several real entries of the
bundled OFAC list and screened through ``proscribe.screen.screen``; and the same transformations
applied to innocent names, which must not start to alert.

Classes: 2 (homoglyphs whose transliteration differs from their look), 3 (invisible and format
characters, bidi overrides, look-alike scripts), 11 (markup and encodings; letters spaced, dotted,
starred or hyphenated apart; a symbol inside a word; digits for letters), 21 (homoglyphs in
identifiers) and the low item "a name of only invisible characters is refused as empty".
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest

from proscribe.screen import QueryError, parse_query

#: Real entries of the bundled reconstructed OFAC SDN list (uid), with several shapes of name:
#: an airline, a person in comma form, a company with a legal form, two banks, a second airline.
LISTED_UIDS = ["12927", "35096", "50543", "25578", "25677", "26344"]

# -- transformations --------------------------------------------------------------------------------

_CYRILLIC = dict(zip("ABCEHIKMOPTXYaceopxyi", "АВСЕНІКМОРТХУасеорхуі", strict=True))
_GREEK = dict(zip("ABEHIKMNOPTXYZov", "ΑΒΕΗΙΚΜΝΟΡΤΧΥΖον", strict=True))
# Cherokee capitals drawn like Latin capitals (Ꭺ Ᏼ Ꮯ Ꭰ Ꭼ Ꮐ Ꮋ Ꭻ Ꮶ Ꮮ Ꮇ Ꮲ Ꮢ Ꮪ Ꭲ Ꮩ Ꮃ Ꭹ Ꮓ).
_CHEROKEE = dict(
    zip(
        "ABCDEGHJKLMPRSTVWYZ",
        "\u13aa\u13f4\u13df\u13a0\u13ac\u13c0\u13bb\u13ab\u13e6\u13de\u13b7\u13e2\u13d2\u13da\u13a2\u13d9\u13b3\u13a9\u13c3",
        strict=True,
    )
)


def _words(name: str, change: Callable[[str], str], min_len: int = 1) -> str:
    """Apply ``change`` to every word (letters only) of at least ``min_len`` letters."""
    out, word = [], []
    for ch in name + " ":
        if ch.isalpha():
            word.append(ch)
            continue
        if word:
            text = "".join(word)
            out.append(change(text) if len(text) >= min_len else text)
            word = []
        out.append(ch)
    return "".join(out)[:-1]


def _first_swap(table: dict[str, str]) -> Callable[[str], str]:
    def swap(word: str) -> str:
        for i, ch in enumerate(word):
            if ch in table:
                return word[:i] + table[ch] + word[i + 1 :]
        return word

    return swap


def _inside(separator: str) -> Callable[[str], str]:
    """The separator put inside every word of four letters or more (after its second letter)."""
    return lambda name: _words(name, lambda w: w[:2] + separator + w[2:], 4)


def _every_letter(table: Callable[[str], str]) -> Callable[[str], str]:
    return lambda name: "".join(table(ch) if ch.isalpha() else ch for ch in name)


def _fullwidth(ch: str) -> str:
    return chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch


def _math_bold(ch: str) -> str:
    if "A" <= ch <= "Z":
        return chr(0x1D400 + ord(ch) - ord("A"))
    if "a" <= ch <= "z":
        return chr(0x1D41A + ord(ch) - ord("a"))
    return ch


def _circled(ch: str) -> str:
    if "A" <= ch <= "Z":
        return chr(0x24B6 + ord(ch) - ord("A"))
    if "a" <= ch <= "z":
        return chr(0x24D0 + ord(ch) - ord("a"))
    return ch


def _spaced(separator: str) -> Callable[[str], str]:
    """The longest word's letters written apart with ``separator``."""

    def spread(name: str) -> str:
        longest = max((w for w in _words_of(name)), key=len)
        return name.replace(longest, separator.join(longest), 1)

    return spread


def _words_of(name: str) -> list[str]:
    words: list[str] = []
    _words(name, lambda w: words.append(w) or w)
    return words


_DIGIT_FOR = {"A": "4", "E": "3", "I": "1", "O": "0", "S": "5", "T": "7", "B": "8", "a": "4", "e": "3", "i": "1",
              "o": "0", "s": "5", "t": "7"}  # fmt: skip


def _one_digit_per_word(word: str) -> str:
    for i, ch in enumerate(word[1:], 1):
        if ch in _DIGIT_FOR:
            return word[:i] + _DIGIT_FOR[ch] + word[i + 1 :]
    return word


def _entities(name: str) -> str:
    first = _words_of(name)[0]
    return name.replace(first, "".join(f"&#{ord(ch)};" for ch in first), 1).replace(" ", "&nbsp;")


def _hex_entities(name: str) -> str:
    return "".join(f"&#x{ord(ch):X};" if ch.isalpha() and i % 2 else ch for i, ch in enumerate(name))


def _tags(name: str) -> str:
    words = name.split(" ")
    return "<b>" + words[0][:2] + "</b><span class='x'>" + words[0][2:] + "</span> " + "<br/>".join(words[1:])


def _mime(name: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(name.encode()).decode() + "?="


CLASS_2 = {
    "one Cyrillic look-alike per word": lambda name: _words(name, _first_swap(_CYRILLIC)),
    "every Cyrillic look-alike": _every_letter(lambda ch: _CYRILLIC.get(ch, ch)),
    "one Greek look-alike per word": lambda name: _words(name, _first_swap(_GREEK)),
    "every Greek look-alike": _every_letter(lambda ch: _GREEK.get(ch.upper(), ch) if ch.isupper() else ch),
}
CLASS_3 = {
    "left-to-right override inside words": lambda name: _words(
        name, lambda w: w[:2] + "\u202d" + w[2:] + "\u202c", 4
    ),
    "right-to-left override of the reversed name": lambda name: "\u202e" + name[::-1] + "\u202c",
    "embedding inside words": _inside("\u202b\u202c"),
    "isolate inside words": _inside("\u2068\u2069"),
    "zero-width space": _inside("\u200b"),
    "zero-width joiner and non-joiner": _inside("\u200d\u200c"),
    "soft hyphen": _inside("\u00ad"),
    "word joiner": _inside("\u2060"),
    "tag characters": _inside("\U000e0020\U000e0041"),
    "variation selector": _inside("\ufe0f"),
    "line separator": _inside("\u2028"),
    "paragraph separator": _inside("\u2029"),
    "tab": _inside("\t"),
    "nul": _inside("\x00"),
    "Hangul filler": _inside("\u3164"),
    "Braille blank": _inside("\u2800"),
    "enclosing combining mark": _every_letter(lambda ch: ch + "\u0489"),
    "combining strike-through": _every_letter(lambda ch: ch + "\u0336"),
    "Cherokee look-alikes": _every_letter(lambda ch: _CHEROKEE.get(ch, ch)),
    "full-width letters": _every_letter(_fullwidth),
    "mathematical bold letters": _every_letter(_math_bold),
    "circled letters": _every_letter(_circled),
}
CLASS_11_MARKUP = {
    "decimal HTML entities and nbsp": _entities,
    "hex HTML entities": _hex_entities,
    "escaped entities": lambda name: _entities(name).replace("&", "&amp;"),
    "HTML tags": _tags,
    "percent-encoding": lambda name: quote(name),
    "MIME encoded word": _mime,
}
CLASS_11_SPLIT = {
    "letters spaced apart": _spaced(" "),
    "letters dotted apart": _spaced("."),
    "letters hyphenated apart": _spaced("-"),
    "letters starred apart": _spaced("*"),
    "hyphen inside words": _inside("-"),
    "underscore inside words": _inside("_"),
    "pipe inside words": _inside("|"),
    "digits for letters": lambda name: _words(name, _one_digit_per_word, 4),
}
ALL_TRANSFORMS = {**CLASS_2, **CLASS_3, **CLASS_11_MARKUP, **CLASS_11_SPLIT}

#: Innocent companies and people of several regions (none is listed).
INNOCENT = [
    ("Company", "Siemens Aktiengesellschaft"),
    ("Company", "Toyota Motor Corporation"),
    ("Company", "Nestle S.A."),
    ("Company", "Tata Consultancy Services Limited"),
    ("Company", "Samsung Electronics Co., Ltd."),
    ("Company", "Banco Santander, S.A."),
    ("Company", "Safaricom PLC"),
    ("Company", "Dangote Cement Plc"),
    ("Company", "Infosys Limited"),
    ("Company", "Woolworths Group Limited"),
    ("Company", "Shoprite Holdings"),
    ("Company", "Nokia Oyj"),
    ("Company", "Grupo Bimbo"),
    ("Company", "Heineken Holding"),
    ("Company", "Carrefour"),
    ("Company", "Maybank Berhad"),
    ("Company", "Jollibee Foods Corporation"),
    ("Company", "Ambev"),
    ("Person", "Maria Fernanda Lopez Garcia"),
    ("Person", "Hiroshi Tanaka"),
    ("Person", "Chukwuemeka Okonkwo"),
    ("Person", "Priya Ramanathan"),
    ("Person", "Sven Johansson"),
    ("Person", "Aiko Watanabe"),
    ("Person", "Oluwaseun Adeyemi"),
    ("Person", "Marta Kowalczyk"),
    ("Person", "Nguyen Thi Lan"),
    ("Person", "Thandiwe Mokoena"),
    ("Person", "Kwame Mensah"),
    ("Person", "Ingrid Bergstrom"),
]


# -- helpers --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def listed(ofac_by_uid):
    """(entity id, schema, first listed name) of each listed party the tests disguise."""
    out = []
    for uid in LISTED_UIDS:
        entity = ofac_by_uid[uid]
        out.append((f"us_ofac_sdn-{uid}", entity.schema, entity.properties["name"][0]))
    return out


def _missed(screen_one, listed, transforms: dict[str, Callable[[str], str]]) -> list[str]:
    """Every (transformation, listed name) whose disguised form does not alert on the listed entry."""
    missed = []
    for label, transform in transforms.items():
        for entity_id, schema, name in listed:
            disguised = transform(name)
            assert disguised != name, (label, name)
            result = screen_one(disguised, schema)
            hit = next((r for r in result["results"] if r["id"] == entity_id), None)
            if result["decision"] not in ("review", "block") or hit is None:
                missed.append(f"{label}: {disguised!r} -> {result['decision']}")
    return missed


# -- the classes ----------------------------------------------------------------------------------


def test_homoglyphs_whose_transliteration_differs_from_their_look_still_alert(screen_one, listed):
    assert _missed(screen_one, listed, CLASS_2) == []


def test_invisible_format_and_bidi_characters_and_look_alike_scripts_do_not_hide_a_listed_name(
    screen_one, listed
):
    assert _missed(screen_one, listed, CLASS_3) == []


def test_markup_and_encodings_left_by_web_forms_and_mail_are_decoded_before_matching(screen_one, listed):
    assert _missed(screen_one, listed, CLASS_11_MARKUP) == []


def test_letters_split_apart_and_digits_for_letters_still_alert(screen_one, listed):
    assert _missed(screen_one, listed, CLASS_11_SPLIT) == []


def test_disguises_undone_are_named_in_the_explanation(screen_one, listed):
    for entity_id, schema, name in listed:
        for transform, undone in [
            (CLASS_11_SPLIT["digits for letters"], "digits read as letters"),
            (CLASS_3["left-to-right override inside words"], "bidi override applied"),
            (CLASS_11_MARKUP["decimal HTML entities and nbsp"], "HTML entities decoded"),
        ]:
            result = screen_one(transform(name), schema)
            hit = next(r for r in result["results"] if r["id"] == entity_id)
            assert undone in str(hit["explanation"]), (undone, name)


def test_disguises_applied_to_innocent_names_raise_no_more_alerts_than_the_plain_names(screen_one):
    plain_alerts = {name for schema, name in INNOCENT if screen_one(name, schema)["decision"] != "clear"}
    worse = []
    for label, transform in ALL_TRANSFORMS.items():
        for schema, name in INNOCENT:
            decision = screen_one(transform(name), schema)["decision"]
            if decision == "block" or (decision == "review" and name not in plain_alerts):
                worse.append(f"{label}: {name!r} -> {decision}")
    assert worse == []


_PACS008 = Path(__file__).resolve().parents[1] / "fixtures" / "payments" / "pacs008_v12_clean.xml"


@pytest.mark.parametrize(
    "creditor",
    [
        "MA\u202dHAN\u202c AIR",  # the characters themselves
        "MA&#x202D;HAN&#x202C; AIR",  # XML character references
        "MA&#x200B;HAN AIR",
        "\u202eRIA NAHAM\u202c",
        "M A H A N AIR",
        "\u041cAHAN AIR",  # Cyrillic М
    ],
)
def test_a_disguised_creditor_name_in_a_pacs008_message_is_blocked(index, creditor):
    from proscribe.payments import parse_bytes
    from proscribe.payments.decide import Screener

    xml = _PACS008.read_text(encoding="utf-8")
    assert xml.count("<Nm>Ateliers Mecaniques du Rhone SAS</Nm>") >= 1
    message = xml.replace("<Nm>Ateliers Mecaniques du Rhone SAS</Nm>", f"<Nm>{creditor}</Nm>", 1)
    (payment,) = parse_bytes(message.encode("utf-8"), "disguised.xml")
    outcome = Screener(index, regime="us").decide(payment)
    assert outcome.decision == "block", [r.detail for r in outcome.reasons]


# -- class 21: identifiers ----------------------------------------------------------------------------

ITG = "us_ofac_sdn-50543"
ITG_USCC = "91110108562135265P"


@pytest.mark.parametrize(
    "prop, value",
    [
        ("registrationNumber", ITG_USCC[:-1] + "\u0420"),  # Cyrillic Р for P
        ("uscCode", ITG_USCC[:-1] + "\u03a1"),  # Greek Ρ
        ("registrationNumber", "".join(_fullwidth(ch) for ch in ITG_USCC)),
        ("registrationNumber", ITG_USCC[:9] + "\u200b" + ITG_USCC[9:]),
        ("registrationNumber", "\u0669\u0661\u0661\u0661" + ITG_USCC[4:]),  # Arabic-Indic digits
    ],
)
def test_identifier_homoglyphs_are_folded_like_names(screen_one, prop, value):
    result = screen_one(None, "Company", **{prop: value})
    assert result["decision"] == "block"
    assert result["results"][0]["id"] == ITG


def test_an_identifier_invalid_after_folding_is_reported(screen_one):
    result = screen_one(None, "Company", uscCode=ITG_USCC[:-2] + "\u0416P")
    assert any("look-alike" in w or "Ж" in w for w in result.get("warnings", []))


@pytest.mark.parametrize(
    "prop, value",
    [("uscCode", ITG_USCC[:-1] + "Q"), ("leiCode", "5493001KJTIIGC8Y1R13"), ("imoNumber", "9123457"),
     ("registrationNumber", ITG_USCC[:-2] + "\u0416P")],
)  # fmt: skip
def test_an_identifier_only_query_with_an_invalid_identifier_is_review_not_clear(screen_one, prop, value):
    result = screen_one(None, "Company", **{prop: value})
    assert result["decision"] == "review", result
    assert any("invalid identifier" in w for w in result["warnings"])


# -- low: a name of only invisible characters is refused as empty ----------------------------------


@pytest.mark.parametrize(
    "invisible",
    ["\u200b\u200c", "\u2060\ufeff\u00ad", "\U000e0041\U000e0042\U000e007f", "\u3164", "\u2800\u2800",
     "\u202e\u202c", "&nbsp;&#8203;", "<b></b>", "\u0489", "\ufe0f"],
)  # fmt: skip
def test_a_name_of_only_invisible_characters_is_refused_as_empty(invisible):
    with pytest.raises(QueryError, match="needs a name"):
        parse_query({"schema": "Person", "properties": {"name": [invisible]}})
