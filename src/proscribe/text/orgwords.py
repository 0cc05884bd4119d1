"""Organisation names in their own languages, read in English.

A DPRK bank writes itself ``조선무역은행``, the IRGC ``سپاه پاسداران انقلاب اسلامی``, a Russian
ministry ``Министерство обороны Российской Федерации``; the lists often give only the English
(``Korea Trade Bank``, ``Islamic Revolutionary Guard Corps``, ``Ministry of Defence of the Russian
Federation``). Transliteration alone (``joseonmuyeogeunhaeng``, ``sph pasdaran``) cannot meet the
English, so this module gives such a name extra *English-word readings*: the recognised
organisation, company and country words are replaced by their English equivalents
(``data/org_words.toml``, with its sources) and the rest - the proper-name part - is transliterated
(:mod:`proscribe.text.scripts`)::

    >>> english_readings("조선무역은행")[0]
    'korea trading bank'
    >>> english_readings("حزب الله")
    ('party god', 'party allah', 'hizb allah')

Per script:

- Hangul and Han compounds, usually written without spaces, are segmented by the longest
  dictionary words (most characters covered, then fewest words); a one-syllable word (부
  department, 성 ministry, 당 party, 局 bureau) counts only right after another dictionary word, so
  a proper name such as 대성 is never cut into 대 + 성 "ministry". Han words of
  :mod:`proscribe.text.scripts` (company words, cities) are used as well.
- Arabic and Persian words are looked up whole, then without the article and the one-letter
  prefixes (``ال``, ``و``, ``ب``, ``ل``, ``لل``) and without the Persian plural ``ها``; letter
  variants (alef forms, ta marbuta, Persian ye and kaf) are unified first. A third reading gives
  the conventional romanisation of a few words that stand in names (``hizb allah`` = Hizballah).
- Russian words match stems followed by an inflection of up to four letters (``банка``,
  ``оборонной``, ``Российской``).

Word order is left as written: genitive constructions order words differently from English, and
the matcher aligns tokens regardless of order. A name with no recognised word has no reading
(the ordinary forms of :func:`proscribe.text.names.name_forms` already say all there is). Pure
functions, cached.
"""

from __future__ import annotations

import re
import threading
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from proscribe.text import scripts

__all__ = ["ACRONYMS_PATH", "WORDS_PATH", "acronym_expansions", "acronyms", "english_readings"]

WORDS_PATH = Path(__file__).with_name("data") / "org_words.toml"

#: At most this many readings of one name (English, alternative English, romanised).
MAX_READINGS = 3

_WORD_RE = re.compile(r"[^\W_]+")
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d]")
_ARABIC_FOLD = str.maketrans(
    {
        "\u0623": "\u0627",  # alef with hamza above
        "\u0625": "\u0627",  # alef with hamza below
        "\u0622": "\u0627",  # alef with madda
        "\u0671": "\u0627",  # alef wasla
        "\u0629": "\u0647",  # ta marbuta -> ha
        "\u0649": "\u064a",  # alif maqsura -> ya
        "\u06cc": "\u064a",  # Persian ye -> ya
        "\u06a9": "\u0643",  # Persian kaf -> kaf
        "\u06c0": "\u0647",  # heh with yeh above
        "\u06d5": "\u0647",  # ae
    }
)
#: Prefixes peeled off an Arabic-script word, longest first: article and one-letter particles.
_ARABIC_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل", "ف")
_PERSIAN_SUFFIXES = ("هاي", "ها")


@dataclass(frozen=True, slots=True)
class _Entry:
    """One dictionary word: its English, and the alternative English (or the same)."""

    english: str
    alternative: str


@dataclass(frozen=True, slots=True)
class _Tables:
    korean: dict[str, _Entry]
    korean_suffix: dict[str, _Entry]
    chinese: dict[str, _Entry]
    chinese_suffix: dict[str, _Entry]
    arabic: dict[str, _Entry]
    romanised: dict[str, str]
    russian: dict[str, _Entry]


def _entry(value: str) -> _Entry:
    first, _, second = value.partition("|")
    return _Entry(first.strip(), (second or first).strip())


def _fold_arabic(word: str) -> str:
    return _ARABIC_MARKS.sub("", word).translate(_ARABIC_FOLD)


@cache
def _tables() -> _Tables:
    with WORDS_PATH.open("rb") as handle:
        raw = tomllib.load(handle)
    arabic: dict[str, _Entry] = {}
    for section in ("arabic", "persian"):
        for word, value in raw[section].items():
            arabic.setdefault(_fold_arabic(word), _entry(value))
    chinese = {_simplified(word): _entry(value) for word, value in raw["chinese"].items()}
    # the company words and places scripts.py already translates (公司, 科技, 北京 ...)
    for word, (english, alternative) in getattr(scripts, "_HAN_WORDS", {}).items():
        chinese.setdefault(word, _Entry(english, alternative or english))
    return _Tables(
        korean={w: _entry(v) for w, v in raw["korean"].items()},
        korean_suffix={w: _entry(v) for w, v in raw["korean_suffix"].items()},
        chinese=chinese,
        chinese_suffix={_simplified(w): _entry(v) for w, v in raw["chinese_suffix"].items()},
        arabic=arabic,
        romanised={_fold_arabic(w): v for w, v in raw["arabic_romanised"].items()},
        russian={w.replace("ё", "е"): _entry(v) for w, v in raw["russian"].items()},
    )


# -- Han: traditional characters read as simplified -------------------------------------------

_ICU_LOCK = threading.Lock()


@cache
def _t2s():
    try:
        import icu  # PyICU

        return icu.Transliterator.createInstance("Traditional-Simplified")
    except Exception:  # noqa: BLE001 - without ICU, scripts.py's own table is used
        return None


@lru_cache(maxsize=1 << 15)
def _simplified(text: str) -> str:
    trans = _t2s()
    if trans is not None:
        with _ICU_LOCK:
            out = trans.transliterate(text)
        if len(out) == len(text):
            return out
    table = getattr(scripts, "_TRAD_TO_SIMP", None)
    return text.translate(table) if table else text


# -- segmentation of unspaced compounds -------------------------------------------------------

_Piece = tuple[str, _Entry | None]  # (original text, dictionary entry or None for a proper-name run)


def _segment(chunk: str, key: str, words: dict[str, _Entry], suffixes: dict[str, _Entry]) -> list[_Piece]:
    """Split ``chunk`` (looked up as ``key``, same length) into dictionary words and runs.

    Dynamic programming over prefixes: most characters covered by dictionary words, then fewest
    pieces. A one-character suffix word counts only right after a dictionary word."""
    n = len(chunk)
    longest = max((len(w) for w in words), default=1)
    # best[i]: (covered, -pieces, plan) for chunk[:i]; plan = list of (start, end, entry|None)
    best: list[tuple[int, int, list[tuple[int, int, _Entry | None]]]] = [(0, 0, [])]
    for i in range(1, n + 1):
        covered, pieces, plan = best[i - 1]
        if plan and plan[-1][2] is None:
            choice = (covered, pieces, [*plan[:-1], (plan[-1][0], i, None)])
        else:
            choice = (covered, pieces - 1, [*plan, (i - 1, i, None)])
        for size in range(2, min(longest, i) + 1):
            entry = words.get(key[i - size : i])
            if entry is not None:
                c, p, pl = best[i - size]
                candidate = (c + size, p - 1, [*pl, (i - size, i, entry)])
                if candidate[:2] > choice[:2]:
                    choice = candidate
        entry = suffixes.get(key[i - 1])
        if entry is not None and i >= 2:
            c, p, pl = best[i - 1]
            if pl and pl[-1][2] is not None:
                candidate = (c + 1, p - 1, [*pl, (i - 1, i, entry)])
                if candidate[:2] > choice[:2]:
                    choice = candidate
        best.append(choice)
    return [(chunk[start:end], entry) for start, end, entry in best[n][2]]


# -- word lookup ------------------------------------------------------------------------------


def _arabic_lookup(word: str, table: dict) -> object | None:
    folded = _fold_arabic(word)
    stems = [folded]
    for prefix in _ARABIC_PREFIXES:
        if folded.startswith(prefix) and len(folded) - len(prefix) >= 2:
            stems.append(folded[len(prefix) :])
    for stem in list(stems):
        for suffix in _PERSIAN_SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 2:
                stems.append(stem[: -len(suffix)])
    for stem in stems:
        found = table.get(stem)
        if found is not None:
            return found
    return None


def _russian_lookup(word: str, table: dict[str, _Entry]) -> _Entry | None:
    word = word.lower().replace("ё", "е")
    for size in range(min(len(word), 16), 2, -1):
        entry = table.get(word[:size])
        if entry is not None and len(word) - size <= (4 if size >= 4 else 2):
            return entry
    return None


# -- readings ---------------------------------------------------------------------------------


def _latin_pair(text: str, script: str) -> tuple[str, str]:
    """Two transliterations of a proper-name run: (first reading's, second reading's)."""
    forms = scripts.latin_forms(text)
    if not forms:
        return "", ""
    if script == "Hangul":
        # DPRK (McCune-Reischauer-like) spelling first, South Korean second; runs joined as
        # the lists write Korean proper names (Ryonbong, Kwangson), never read as a person.
        words = getattr(scripts, "_ko_words", None)
        if words is not None:
            return words(text, north=True, joined=True), words(text, north=False, joined=True)
        return "".join(forms[-1].split()), "".join(forms[0].split())
    if script == "Han":
        return forms[0], "".join(forms[0].split())
    return forms[0], forms[1] if len(forms) > 1 else forms[0]


def _script_of(word: str) -> str | None:
    for ch in word:
        name = unicodedata.name(ch, "")
        if name.startswith("HANGUL"):
            return "Hangul"
        if name.startswith("CJK"):
            return "Han"
        if name.startswith(("ARABIC", "PERSIAN")):
            return "Arabic"
        if name.startswith("CYRILLIC"):
            return "Cyrillic"
    return None


@lru_cache(maxsize=1 << 16)
def english_readings(text: str) -> tuple[str, ...]:
    """English-word readings of an organisation name written in Korean, Chinese, Arabic,
    Persian or Russian, best first (at most :data:`MAX_READINGS`, lower-case, space-separated).
    Empty when the name has no dictionary word (or is plain ASCII)."""
    if text.isascii():
        return ()
    tables = _tables()
    text = unicodedata.normalize("NFKC", text)
    text = _ARABIC_MARKS.sub("", text)
    first: list[str] = []
    second: list[str] = []
    romanised: list[str] = []
    recognised = has_romanised = False
    for word in _WORD_RE.findall(text):
        script = _script_of(word)
        pieces: list[_Piece]
        if script == "Hangul":
            pieces = _segment(word, word, tables.korean, tables.korean_suffix)
        elif script == "Han":
            pieces = _segment(word, _simplified(word), tables.chinese, tables.chinese_suffix)
        elif script == "Arabic":
            pieces = [(word, _arabic_lookup(word, tables.arabic))]  # type: ignore[list-item]
        elif script == "Cyrillic":
            pieces = [(word, _russian_lookup(word, tables.russian))]
        else:
            pieces = [(word, None)]
        for chunk, entry in pieces:
            roman = _arabic_lookup(chunk, tables.romanised) if script == "Arabic" else None
            if entry is not None:
                recognised = True
                first.append(entry.english)
                second.append(entry.alternative)
            elif roman is not None:  # a name word with a usual romanisation (القدس Qods)
                first.append(str(roman))
                second.append(str(roman))
            else:
                a, b = _latin_pair(chunk, script or "Latin")
                first.append(a)
                second.append(b)
            if roman is not None:
                has_romanised = True
                romanised.append(str(roman))
            else:
                romanised.append(_latin_pair(chunk, script or "Latin")[0])
    if not recognised and not has_romanised:
        return ()
    out: list[str] = []
    candidates = [first, second] if recognised else []
    if has_romanised:
        candidates.append(romanised)
    for words in candidates:
        reading = " ".join(w for w in words if w)
        if reading and reading not in out:
            out.append(reading)
    return tuple(out[:MAX_READINGS])


# -- acronyms ---------------------------------------------------------------------------------

ACRONYMS_PATH = Path(__file__).with_name("data") / "acronyms.toml"
#: Shorter acronyms (ANA, MAK, CP) are ordinary words and other parties' initials too often to
#: be read as one listed party's name.
MIN_ACRONYM_LETTERS = 4


@cache
def acronyms() -> dict[str, str]:
    """Acronym -> expansion (lower case), from ``data/acronyms.toml``: pairs the lists
    themselves give (an alias that is the initials of the entry's name), then a curated table."""
    with ACRONYMS_PATH.open("rb") as handle:
        raw = tomllib.load(handle)
    table: dict[str, str] = {}
    for section in ("curated", "mined"):
        for acronym, expansion in raw.get(section, {}).items():
            if len(acronym) >= MIN_ACRONYM_LETTERS:
                table.setdefault(acronym.lower(), expansion.lower())
    return table


def acronym_expansions(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The name with each known acronym written out (``irgc qods force`` -> ``islamic revolution
    guards corps qods force``); empty when no token is a known acronym."""
    table = acronyms()
    if not any(token in table for token in tokens):
        return ()
    return (" ".join(table.get(token, token) for token in tokens),)
