"""What a relationship cell means, from one declared table (``relationships.toml``).

Ownership data is typed by hand: ``Shareholding ``, ``share holding``, ``SHARE_HOLDING`` are the
same word, ``sharehodling`` and ``direct`` are not a word the data format knows. The spelling is
folded (compatibility forms, case, spaces, ``_ - . /`` dropped) and looked up in the table; a
spelling that is not in it is *unknown*. Unknown is never guessed and never read as a harmless
lead: the import reports it as a bad row and records an unrecognised relationship, which leads
to ``review`` (see :mod:`proscribe.ownership.regime`).
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from functools import cache
from pathlib import Path

TABLE = Path(__file__).with_name("relationships.toml")

#: The kind recorded for a relationship the table does not know.
UNKNOWN = "unknown"

_SEPARATORS = re.compile(r"[\s_\-./\u00a0\u200b-\u200d\u2060\ufeff]+")


def fold(text: str) -> str:
    """The lookup key of a spelling: NFKC, case folded, every separator dropped."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).casefold())


@cache
def table() -> dict[str, str]:
    """Folded spelling -> relationship kind, as declared in ``relationships.toml``."""
    with TABLE.open("rb") as fh:
        declared = tomllib.load(fh)["kinds"]
    out: dict[str, str] = {}
    for kind, spellings in declared.items():
        for spelling in [kind, *spellings]:
            key = fold(spelling)
            if out.get(key, kind) != kind:
                raise ValueError(f"{TABLE.name}: {spelling!r} is declared for both {out[key]} and {kind}")
            out[key] = kind
    return out


def kind_of(text: object, default: str = "shareholding") -> str:
    """The relationship kind ``text`` names; ``default`` for an empty cell; :data:`UNKNOWN` for a
    spelling the table does not declare."""
    if text is None:
        return default
    raw = str(text)
    if not raw.strip():
        return default
    return table().get(fold(raw), UNKNOWN)


def suggestion(text: object) -> str | None:
    """The declared spelling closest to ``text`` (shown to the operator, never applied)."""
    key = fold(str(text or ""))
    if not key:
        return None
    close = difflib.get_close_matches(key, list(table()), n=1, cutoff=0.75)
    return table()[close[0]] if close else None
