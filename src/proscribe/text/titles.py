"""Titles, offices, ranks and honorifics written with a person's name, tagged and dropped.

``President Lukashenko``, ``Президент Путин``, ``Orbán Viktor elnök``, ``习近平主席``,
``김정은 위원장``, ``الرئيس بشار الأسد``: the title is no part of the name, and left in it would
cost the listed name its coverage (a query word the list name lacks). The table is data
(``data/titles.toml``, with its sources); this module only reads it and strips titles:

* :func:`strip_title_text` before romanisation, for scripts whose titles romanise badly or run
  into the name without a space (Arabic and Persian words, Han, Hangul and kana affixes);
* :func:`strip_titles` after romanisation, on tokens: titles before the name (any script that
  romanises word by word) and the postposed Hungarian ones after it.

A title is dropped only while a name is left (a surname "Sheikh" alone stays a name) and never
when a joining word follows it ("President of the Republic" is no title before a name).
:func:`titles_in` says which titles a name carried, so screening can tell a title-and-surname
query from a full name.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from proscribe.text import scripts
from proscribe.text.name_parts import sector_words
from proscribe.text.render import readings

TITLES_PATH = Path(__file__).with_name("data") / "titles.toml"

#: Words that join a title to what follows: "President of Iran" names an office, not a person.
JOINERS = frozenset({"of", "for", "the", "and", "del"})

_APOSTROPHES = re.compile(r"[\u0027\u2018\u2019\u02bc\u02bb\u0060\u00b4]")
#: Arabic-script letters written interchangeably; titles and names are compared with them folded.
_ARABIC_FOLD = str.maketrans(
    {
        "\u0649": "\u064a",
        "\u06cc": "\u064a",
        "\u06a9": "\u0643",
        "\u0623": "\u0627",
        "\u0625": "\u0627",
        "\u0622": "\u0627",
        "\u0671": "\u0627",
        "\u0640": None,
        "\u200c": " ",  # zero-width non-joiner between the parts of one Persian title
    }
)
_ARABIC_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_AFFIX_RE = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _token_sequences(words: list[str]) -> frozenset[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for word in words:
        for form in scripts.latin_forms(_APOSTROPHES.sub("", word).replace(".", " ")):
            tokens = tuple(form.split())
            if tokens:
                out.add(tokens)
    return frozenset(out)


def _arabic_key(text: str) -> tuple[str, ...]:
    return tuple(text.translate(_ARABIC_FOLD).split())


def _arabic_keys(title: str) -> set[tuple[str, ...]]:
    """A Persian title's parts are joined by a zero-width non-joiner, which rendering drops:
    the parts written apart and run together are both the title."""
    return {_arabic_key(title), _arabic_key(title.replace("\u200c", ""))}


@lru_cache(maxsize=1)
def _tables() -> tuple[
    frozenset[tuple[str, ...]], frozenset[tuple[str, ...]], frozenset[tuple[str, ...]], tuple[str, ...]
]:
    """(prefix token sequences, postposed token sequences, Arabic-script word sequences, Han,
    Hangul and kana affixes longest first)."""
    raw = _raw()
    prefix = _token_sequences([w for words in raw.get("prefix", {}).values() for w in words])
    postposed = _token_sequences([w for words in raw.get("postposed", {}).values() for w in words])
    arabic = frozenset(
        key
        for words in raw.get("script_words", {}).values()
        for w in words
        if w.strip()
        for key in _arabic_keys(w)
    )
    affixes = tuple(
        sorted(
            {w for words in raw.get("script_affix", {}).values() for w in words if w}, key=len, reverse=True
        )
    )
    return prefix, postposed, arabic, affixes


@lru_cache(maxsize=1)
def _raw() -> dict:
    with TITLES_PATH.open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=1)
def _courtesy() -> frozenset:
    """Courtesy titles in every form they are matched in: token sequences, Arabic-script word
    sequences and affixes."""
    words = [w for ws in _raw().get("courtesy", {}).values() for w in ws]
    out: set = set(_token_sequences(words))
    for word in words:
        out.update(_arabic_keys(word))
        out.add(word)
    return frozenset(out)


@lru_cache(maxsize=8)
def _longest(table: frozenset[tuple[str, ...]]) -> int:
    """The longest title in words; cached (the tables are built once, the lookup runs per name)."""
    return max((len(seq) for seq in table), default=0)


def strip_titles(tokens: list[str]) -> list[str]:
    """``tokens`` (romanised) without the titles before the name and the postposed ones after it.

    Repeated (``his excellency president``), longest title first; at least one token stays and a
    title followed by a joining word stays."""
    return _strip_tokens(tokens, [])


@lru_cache(maxsize=1)
def _compound_heads() -> tuple[str, ...]:
    return tuple(
        sorted({f for w in _raw().get("compound_heads", {}).get("de", []) for f in scripts.latin_forms(w)})
    )


def _is_compound_title(token: str) -> bool:
    return any(token.endswith(head) and len(token) >= len(head) + 4 for head in _compound_heads())


def _strip_tokens(tokens: list[str], found: list) -> list[str]:
    # a company's name ("Premier Oil", "Director Services LLC") has no title before it
    words = sector_words()
    if any(token.startswith("lf_") or token in words for token in tokens):
        return tokens
    prefix, postposed, _, _ = _tables()
    longest = max(_longest(prefix), 1)
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        if _is_compound_title(tokens[0]) and tokens[1] not in JOINERS:
            found.append((tokens[0],))
            tokens, changed = tokens[1:], True
            continue
        for size in range(min(longest, len(tokens) - 1), 0, -1):
            if tuple(tokens[:size]) in prefix and tokens[size] not in JOINERS:
                found.append(tuple(tokens[:size]))
                tokens = tokens[size:]
                changed = True
                break
    longest = max(_longest(postposed), 1)
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for size in range(min(longest, len(tokens) - 1), 0, -1):
            if tuple(tokens[-size:]) in postposed:
                found.append(tuple(tokens[-size:]))
                tokens = tokens[:-size]
                changed = True
                break
    return tokens


def strip_title_text(text: str) -> str:
    """``text`` without Arabic-script title words before the name and Han, Hangul or kana titles
    before or after it (written with or without a space); the text itself when none is found or
    nothing would be left."""
    return _strip_text(text, [])


def _strip_text(text: str, found: list) -> str:
    if _ARABIC_RE.search(text):
        text = _strip_arabic(text, found)
    if _AFFIX_RE.search(text):
        text = _strip_affixes(text, found)
    return text


def _strip_arabic(text: str, found: list) -> str:
    _, _, arabic, _ = _tables()
    longest = max(_longest(arabic), 1)
    words = text.split()
    changed = True
    while changed and len(words) > 1:
        changed = False
        keys = [_arabic_key(word) for word in words]
        for size in range(min(longest, len(words) - 1), 0, -1):
            key = tuple(part for k in keys[:size] for part in k)
            if key in arabic:
                found.append(key)
                words = words[size:]
                changed = True
                break
    return " ".join(words)


def _strip_affixes(text: str, found: list) -> str:
    *_, affixes = _tables()
    text = text.strip()
    changed = True
    while changed:
        changed = False
        for affix in affixes:
            if text.endswith(affix) and len(text[: -len(affix)].strip()) >= 2:
                text, changed = text[: -len(affix)].strip(), True
                found.append(affix)
                break
            if text.startswith(affix) and len(text[len(affix) :].strip()) >= 2:
                rest = text[len(affix) :]
                # a title before the name stands apart from it ("主席 习近平") or before a full name
                if rest[:1].isspace() or len(rest.strip()) >= 3:
                    text, changed = rest.strip(), True
                    found.append(affix)
                    break
    return text


@lru_cache(maxsize=50_000)
def titles_in(name: str) -> tuple[str, ...]:
    """The titles ``name`` carries (empty when none): what :func:`strip_title_text` and
    :func:`strip_titles` drop, romanised where they are dropped after romanisation."""
    return tuple(_show(title) for title in _found(name))


@lru_cache(maxsize=50_000)
def has_office_title(name: str) -> bool:
    """Does ``name`` carry an office, rank or religious title (President, General, Ayatollah,
    elnok, 主席), not only a courtesy one (Mr, Frau, 先生)? An office says who is meant."""
    courtesy = _courtesy()
    return any(title not in courtesy for title in _found(name))


def _show(title) -> str:
    return " ".join(title) if isinstance(title, tuple) else title


def _found(name: str) -> list:
    """Titles in the first reading of ``name`` that has any: a title glued to the name
    (``PresidentPutin``, ``President\u200dPutin``) shows in the reading that sets it apart."""
    for reading in readings(name)[:4]:
        found = _found_in(reading.text)
        if found:
            return found
    return []


def _found_in(name: str) -> list:
    found: list = []
    name = name.strip()
    if name.count(",") == 1:  # a person's comma form: "LUKASHENKO, President Alexander"
        surname, given = (part.strip() for part in name.split(",", 1))
        name = f"{given} {surname}"
    stripped = _strip_text(name, found)
    for form in scripts.latin_forms(_APOSTROPHES.sub("", stripped).replace(".", " "))[:1]:
        _strip_tokens(form.split(), found)
    return found
