"""Mine acronym <-> expansion pairs from the bundled lists into src/proscribe/text/data/acronyms.toml.

An entry's alias that is the initials of another of its names (``KOMID`` beside ``Korea Mining
Development Trading Corporation``; small words such as ``of``, ``the``, ``and`` and legal forms may
be skipped or counted) is the list's own statement that the two name the same party. Only
acronyms of 3 to 7 letters with one expansion across all lists are kept (an acronym two listed
parties share says nothing about which one is meant). Run after the bundled lists change:

    PROSCRIBE_HOME=/tmp/acronyms .venv/bin/python bench/mine_acronyms.py
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from proscribe import bundled
from proscribe.store import snapshots

OUT = Path(__file__).resolve().parents[1] / "src" / "proscribe" / "text" / "data" / "acronyms.toml"
SMALL = frozenset("of the and for in on de du des la le al el et y to".split())
ACRONYM_RE = re.compile(r"^[A-Z]{3,7}$")


def _key(expansion: str) -> tuple[str, ...]:
    return tuple(sorted(t[:4] for t in expansion.split() if t not in SMALL))


def _initials_match(acronym: str, tokens: list[str]) -> bool:
    """The acronym is the initials of the tokens, each small word counted or skipped."""
    acronym = acronym.lower()

    def walk(i: int, j: int) -> bool:
        if j == len(acronym):
            return all(t in SMALL for t in tokens[i:])
        if i == len(tokens):
            return False
        if tokens[i][0] == acronym[j] and walk(i + 1, j + 1):
            return True
        return tokens[i] in SMALL and walk(i + 1, j)

    return walk(0, 0)


def main() -> int:
    bundled.ensure_loaded()
    pairs: dict[str, set[str]] = defaultdict(set)
    for snap in snapshots.current_snapshots().values():
        for entity in snapshots.load_entities(snap.id):
            if entity.schema == "Person":
                continue
            names = [name.strip().strip('"') for _, name in entity.names()]
            for name in names:
                for part in re.findall(r"\(([A-Z]{3,7})\)", name):  # "FOREIGN TRADE BANK (FTB)"
                    names.append(part)
            acronyms = {n for n in names if ACRONYM_RE.match(n)}
            for acronym in acronyms:
                for name in names:
                    if name == acronym or not name.isascii():
                        continue
                    tokens = re.findall(r"[a-z0-9]+", re.sub(r"\([^)]*\)|'s\b", " ", name.lower()))
                    if len(tokens) >= 3 and _initials_match(acronym, tokens):
                        pairs[acronym.lower()].add(" ".join(tokens))
    unique: dict[str, str] = {}
    for acronym, expansions in sorted(pairs.items()):
        # spellings of one name (guard/guards corps, revolution/revolutionary) are one expansion:
        # kept when two thirds of the spellings agree, the shortest of those stays
        keys = Counter(_key(e) for e in expansions)
        key, count = keys.most_common(1)[0]
        if count * 3 >= 2 * len(expansions):
            unique[acronym] = min((e for e in expansions if _key(e) == key), key=lambda e: (len(e), e))
    lines = [
        "# Acronyms and their expansions, mined from the bundled lists by bench/mine_acronyms.py:",
        "# an entry's alias that is the initials of another of its names (the lists' own statement",
        "# that both name one party). Only acronyms whose spellings agree (two thirds of them)",
        "# across all lists; the reader uses acronyms of 4 letters or more.",
        "# Source: the UN, OFAC, UK, Australian and Canadian lists bundled in data/ (see",
        "# data/PROVENANCE.md). Regenerate when the bundled lists change.",
        "",
        "[mined]",
        *(f'{a} = "{e}"' for a, e in unique.items()),
        "",
    ]
    previous = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
    curated = previous[previous.index("# Curated") :] if "# Curated" in previous else ""
    OUT.write_text("\n".join(lines) + ("\n" + curated if curated else ""), encoding="utf-8")
    print(f"{len(unique)} acronyms ({len(pairs) - len(unique)} ambiguous left out) -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
