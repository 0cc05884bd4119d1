"""National Latin spellings of foreign names, re-spelt the way the sanctions lists write them.

Each language transcribes Russian, Ukrainian and Arabic names by its own rules: Hungarian writes
Vlagyimir Putyin, Lithuanian Vladimiras Putinas, German Wladimir Putin, Polish Władimir Putin,
Czech Vladimír Putin, Turkish Beşar Esad. The lists write Vladimir PUTIN and Bashar AL-ASSAD.
Edit distance cannot bridge ``gy`` for ``d`` or a Lithuanian ending on every word, and folding
the diacritics away (``š`` -> ``s``) loses the very letter that says ``sh``.

The tables are data (``data/national_spellings.toml``, each naming the published convention it
follows). A table applies only when one of its markers occurs in the name, so an English name is
never re-spelt; its re-spelling is an extra form of the name, after the ordinary ones. Both a
query and every list name get the forms, so a list that writes a name in a national spelling
(a Polish or Lithuanian national on a list) meets the English-style query too.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "national_spellings.toml"
#: at most this many re-spellings of one name (one per table that applies, first tables first)
MAX_RESPELLINGS = 3


@lru_cache(maxsize=1)
def _tables() -> tuple[tuple[str, re.Pattern[str], tuple[tuple[re.Pattern[str], str], ...]], ...]:
    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    tables = []
    for language, spec in data.items():
        markers = re.compile("|".join(f"(?:{m})" for m in spec["markers"]))
        rules = tuple((re.compile(pattern), replacement) for pattern, replacement in spec["rules"])
        tables.append((language, markers, rules))
    return tuple(tables)


def _has_latin_letters(text: str) -> bool:
    if text.isascii():
        return any(ch.isalpha() for ch in text)
    return any(ch.isalpha() and "LATIN" in unicodedata.name(ch, "") for ch in text)


@lru_cache(maxsize=100_000)
def respellings(name: str) -> tuple[tuple[str, str], ...]:
    """``(language, re-spelt name)`` for each national convention whose markers occur in a
    Latin-script ``name``, the re-spelling different from the lower-cased name; at most
    :data:`MAX_RESPELLINGS`. Empty for names in other scripts and for names no table marks."""
    if not _has_latin_letters(name):
        return ()
    lowered = unicodedata.normalize("NFC", name.lower())
    out: list[tuple[str, str]] = []
    seen = {lowered}
    for language, markers, rules in _tables():
        if not markers.search(lowered):
            continue
        text = lowered
        for pattern, replacement in rules:
            text = pattern.sub(replacement, text)
        if text not in seen:
            seen.add(text)
            out.append((language, text))
            if len(out) == MAX_RESPELLINGS:
                break
    return tuple(out)
