"""How much a single name part says about who is meant, beyond the lists' own word rarity.

The index weighs a word by its rarity across list names, which under-rates how common a word is
in the world: "michael" or "garcia" are rare on sanctions lists and everywhere on customer
files; a Korean or Chinese syllable ("jong", "wei") is one of a few hundred. A partial name
(a surname alone, two of four parts) is judged on the information its parts carry, so such parts
count for less there (:func:`part_factor`). Data: ``data/common_name_parts.txt`` and
``data/cjk_syllables.txt`` (each names its source), plus the full names of the nickname tables.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).with_name("data")

#: The share of its rarity weight a common name part or a single East Asian syllable keeps as
#: evidence of a partial name.
COMMON_PART_FACTOR = 0.35


def _words(filename: str) -> frozenset[str]:
    words: set[str] = set()
    for line in (_DATA / filename).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("["):
            words.update(line.split())
    return frozenset(words)


@lru_cache(maxsize=1)
def common_parts() -> frozenset[str]:
    """Given names and surnames common in the world (romanised, lower case)."""
    from proscribe.text.variants import NICKNAMES, VARIANT_GROUPS

    # every word of the nickname tables is a given name, and those tables hold the common ones
    return _words("common_name_parts.txt") | NICKNAMES | frozenset(w for w in VARIANT_GROUPS if w.isalpha())


@lru_cache(maxsize=1)
def cjk_syllables() -> frozenset[str]:
    """Every romanised Korean and Chinese syllable."""
    return _words("cjk_syllables.txt")


@lru_cache(maxsize=1)
def sector_words() -> frozenset[str]:
    """Words of a line of business or an organisational unit (Telecommunications, Logistics,
    Branch): what a subsidiary adds to its group's name (``data/sector_words.txt``)."""
    return _words("sector_words.txt")


def is_cjk_syllable(token: str) -> bool:
    return token in cjk_syllables()


@lru_cache(maxsize=1 << 16)
def part_factor(token: str) -> float:
    """1.0 for a distinctive name part; :data:`COMMON_PART_FACTOR` for a common given name or
    surname, a single Korean or Chinese syllable, or a word of two letters or fewer."""
    if len(token) <= 2 or token in common_parts() or token in cjk_syllables():
        return COMMON_PART_FACTOR
    return 1.0
