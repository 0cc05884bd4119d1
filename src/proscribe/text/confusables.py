"""Letters of other scripts that a reader takes for Latin letters (Unicode TR39 confusables).

``Р`` (Cyrillic er) looks like ``P`` but transliterates as ``r``; ``Ꮇ`` (Cherokee lu) looks
like ``M``. A name written with such letters reads, to a person, as the Latin name it imitates,
so :mod:`proscribe.text.render` folds them to that Latin letter before anything transliterates
them.

The table holds only single letters whose TR39 skeleton equals the skeleton of one ASCII letter
(checked against ICU's spoof checker in the tests when PyICU is installed), plus the lower-case
Cyrillic and Greek letters that are drawn as Latin small capitals (``в к м н т κ``: a reader of
``PUTIн`` sees an ``h``-shaped letter). Digits look-alikes (``З`` for ``3``) are left out: a
name's letters are what matters here.

Scripts are split in two groups:

* **real scripts** (Cyrillic, Greek, Armenian): names are written in them every day. A word all
  of whose letters are look-alikes (``РАСКЕТ``, ``ООО``) may be a genuine word and is only given
  an extra Latin reading; a word that mixes them with Latin letters is folded.
* **look-alike scripts** (Cherokee, Lisu, Canadian syllabics, Tifinagh, Coptic, Latin small
  capitals and IPA letters): no listed name uses them, but their letters imitate Latin ones. A
  word of look-alikes in them is folded outright.
"""

from __future__ import annotations

__all__ = [
    "LOOKALIKE_SCRIPTS",
    "REAL_SCRIPTS",
    "SHAPE_EXTRAS",
    "TO_CYRILLIC",
    "TO_GREEK",
    "TO_LATIN",
    "script_of",
]

# Upper case first, then lower case, per script: "source letters" -> "Latin letters", same length.
_PAIRS: dict[str, tuple[str, str]] = {
    "Cyrillic": (
        "АВЕЅІЈКМНОРСТУХҮӀԌԜѴЬ" + "аеорсухѕіјԁԛԝһүҽѡѵг",
        "ABESIJKMHOPCTYXYIGWVb" + "aeopcyxsijdqwhyewvr",
    ),
    "Greek": (
        "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧϹϺ\u037fϜϒ" + "αγιονρυϲϳϱσ",
        "ABEZHIKMNOPTYXCMJFY" + "ayiovpucjpo",
    ),
    "Armenian": ("ՍՏՕ" + "գզհոռսցքօ", "USO" + "qqhnnugfo"),
    "Lisu": ("ꓐꓑꓒꓓꓔꓖꓗꓙꓚꓜꓝꓟꓠꓡꓢꓣꓦꓧꓪꓫꓬꓮꓰꓲꓳꓴ", "BPdDTGKJCZFMNLSRVHWXYAEIOU"),
    "Canadian_Aboriginal": ("ᐯᑌᑭᑯᑲᒍᒪᕁᕼᕽᖇᖯᖴᗅᗞᗪᗰᗷ", "VUPdbJLxHxRbFADDMB"),
    "Tifinagh": ("ⴸⴹⵏⵔⵕⵝ", "VEIOQX"),
    "Coptic": ("ⲅⲎⲒⲔⲘⲚⲞⲟⲢⲣⲤⲥⲦⲨⲬⳐ", "rHIKMNOoPpCcTYXL"),
    "Latin": ("ᴄᴏᴑᴜᴠᴡᴢᴦɑɡɣɩɪɯʋʏ", "coouvwzragyiiwuy"),
}
#: Letters drawn like a Latin letter that TR39 maps elsewhere (mostly to Latin small capitals).
SHAPE_EXTRAS: dict[str, str] = {
    "в": "b", "к": "k", "м": "m", "н": "h", "т": "t", "ь": "b", "ӏ": "l", "Ԛ": "Q",
    "κ": "k", "τ": "t", "χ": "x",
}  # fmt: skip
# Cherokee (upper case; the lower-case letters added below map to lower-case Latin).
_CHEROKEE = {
    "Ꭰ": "D", "Ꭱ": "R", "Ꭲ": "T", "Ꭵ": "i", "Ꭹ": "Y", "Ꭺ": "A", "Ꭻ": "J", "Ꭼ": "E", "Ꮃ": "W",
    "Ꮇ": "M", "Ꮋ": "H", "Ꮍ": "Y", "Ꮐ": "G", "Ꮒ": "h", "Ꮓ": "Z", "Ꮟ": "b", "Ꮢ": "R", "Ꮤ": "W",
    "Ꮥ": "S", "Ꮩ": "V", "Ꮪ": "S", "Ꮮ": "L", "Ꮯ": "C", "Ꮲ": "P", "Ꮶ": "K", "Ꮷ": "d", "Ᏻ": "G",
    "Ᏼ": "B",
}  # fmt: skip

#: Scripts whose look-alike words may be genuine words (an extra reading, not a fold).
REAL_SCRIPTS = frozenset({"Cyrillic", "Greek", "Armenian"})
#: Scripts no listed name is written in: their look-alike words are folded outright.
LOOKALIKE_SCRIPTS = frozenset({"Cherokee", "Lisu", "Canadian_Aboriginal", "Tifinagh", "Coptic", "Latin"})


def _build() -> tuple[dict[str, str], dict[str, str]]:
    table: dict[str, str] = {}
    script: dict[str, str] = {}
    for name, (source, latin) in _PAIRS.items():
        if name == "Cherokee":
            continue
        assert len(source) == len(latin), name
        for ch, lat in zip(source, latin, strict=True):
            table[ch] = lat
            script[ch] = name
    for ch, lat in SHAPE_EXTRAS.items():
        table[ch] = lat
        script[ch] = "Greek" if "\u0370" <= ch <= "\u03ff" else "Cyrillic"
    for ch, lat in _CHEROKEE.items():
        table[ch] = lat
        script[ch] = "Cherokee"
        small = ch.lower()
        if small != ch:
            table[small] = lat.lower()
            script[small] = "Cherokee"
    return table, script


#: Look-alike letter -> the Latin letter a reader sees.
TO_LATIN: dict[str, str]
_SCRIPT: dict[str, str]
TO_LATIN, _SCRIPT = _build()


def script_of(ch: str) -> str | None:
    """The script of a look-alike letter in :data:`TO_LATIN` (``None`` for any other character)."""
    return _SCRIPT.get(ch)


#: Latin letters inside a Cyrillic (Greek) word, written back in that script: ``ПУТИH`` has a
#: Latin ``H`` that a reader takes for the Cyrillic ``Н``.
TO_CYRILLIC: dict[str, str] = {
    lat: cyr for cyr, lat in zip("АВЕКМНОРСТУХаеорсухі", "ABEKMHOPCTYXaeopcyxi", strict=True)
}
TO_GREEK: dict[str, str] = {
    lat: gr for gr, lat in zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοναικ", "ABEZHIKMNOPTYXovaik", strict=True)
}
