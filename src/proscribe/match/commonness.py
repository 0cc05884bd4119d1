"""How much a matched name says about who it is: the information behind the block rule.

A name score says how well two names agree; it does not say how many people bear the name.
"Zhang Wei" against a listed ZHANG, Wei scores 1.0 and is borne by some 290,000 people, so a
name alone must not block it. The information of a name match is the sum, over its aligned
tokens, of each list token's rarity weight (inverse document frequency over list names, the
index's weights) times the similarity, where the weight is capped by how common the word is in
the world (``data/common_names.toml``): the lists' rarity under-rates words that are everyday
names but rare on the lists ("smith", "john", Chinese and Korean syllables).

A romanised Chinese, Korean or Vietnamese name (a known East Asian surname, every other word a
syllable of a given name, written apart or joined) is read syllable by syllable: each syllable
carries at most ``syllable_information``, and a surname with a one-syllable given name is never
enough to block, in either name order.

A person's name whose first name and surname agree while the middle names differ on both sides
(John Michael Smith against John Robert Smith) is a contradiction, never enough on its own.

Everything is decided per token and cached, so the per-result cost is a few dictionary look-ups.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from proscribe.text.names import LEGAL

DATA_PATH = Path(__file__).with_name("data") / "common_names.toml"

VERY_COMMON, COMMON = "very common", "common"


def _words(values) -> frozenset[str]:
    """The single lower-case ASCII words of a table (multi-word or accented entries are covered by
    their romanised words elsewhere in the table)."""
    return frozenset(v.lower() for v in values if v.isascii() and v.isalpha())


@dataclass(frozen=True)
class CommonNames:
    very_common: frozenset[str]
    common: frozenset[str]
    east_asian_surnames: frozenset[str]
    syllables: frozenset[str]
    given_syllables: frozenset[str]  # very common syllables of Chinese and Korean given names


def _russian_surname_forms(surname: str) -> list[str]:
    """A Russian surname in its feminine form and its ё spellings (Kiselev, Kiselyov, Kiselyova,
    Kiseleva): the table lists each surname once, as the masculine form with "e"."""
    forms = [surname]
    if surname.endswith("ev"):
        stem = surname[:-2]
        forms += [stem + "yev", stem + "yov", stem + "iev"]
    elif surname.endswith("yev"):
        forms.append(surname[:-3] + "ev")
    if surname.endswith(("ov", "ev", "in", "yn")):
        forms += [form + "a" for form in forms]
    return forms


def _expanded(raw: dict) -> None:
    for tier in ("very_common", "common"):
        group = raw[tier]
        if "russian_surnames" in group:
            group["russian_surnames"] = [
                f for s in group["russian_surnames"] for f in _russian_surname_forms(s)
            ]


@lru_cache(maxsize=1)
def common_names(path: Path = DATA_PATH) -> CommonNames:
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    _expanded(raw)
    very = _words(w for group in raw["very_common"].values() for w in group)
    common = _words(w for group in raw["common"].values() for w in group) - very
    east = raw["east_asian"]
    surnames = _words(
        list(raw["very_common"]["chinese_surnames"])
        + list(raw["very_common"]["korean_surnames"])
        + list(raw["common"]["chinese_surnames"])
        + list(raw["common"]["korean_surnames"])
        + list(east["more_surnames"])
    )
    given = _words(list(raw["very_common"]["chinese_given"]) + list(raw["very_common"]["korean_given"]))
    syllables = _words(list(east["pinyin"]) + list(east["korean_syllables"]))
    return CommonNames(very, common, surnames, syllables, given)


@lru_cache(maxsize=100_000)
def syllables_of(token: str) -> tuple[str, ...] | None:
    """``token`` as one to three syllables of a romanised Chinese or Korean given name
    ("jongun" -> jong un, "xiuying" -> xiu ying), fewest pieces first, or None."""
    table = common_names().syllables
    if token in table:
        return (token,)
    n = len(token)
    for cut in range(n - 1, 0, -1):  # two pieces, the longer first piece first
        if token[:cut] in table and token[cut:] in table:
            return token[:cut], token[cut:]
    for a in range(1, n - 1):
        if token[:a] not in table:
            continue
        for b in range(a + 1, n):
            if token[a:b] in table and token[b:] in table:
                return token[:a], token[a:b], token[b:]
    return None


@dataclass
class NameInformation:
    """The information of one name match and why it is (or is not) enough to block alone."""

    total: float
    tokens: list[dict] = field(default_factory=list)  # per aligned list token: text, information, how
    east_asian: bool = False
    syllables: int = 0
    contradiction: tuple[list[str], list[str]] | None = None  # unmatched (query, list) words
    short_east_asian: bool = False  # a surname and a one-syllable given name

    def enough(self, need: float) -> bool:
        return self.total >= need and not self.contradiction and not self.short_east_asian

    def reason(self, need: float) -> str:
        """Why the name alone is not enough (empty when it is)."""
        if self.contradiction:
            query, listed = self.contradiction
            return (
                f"middle names differ ({' '.join(query)} / {' '.join(listed)}): "
                f"common name: review, not block"
            )
        if self.short_east_asian:
            return "surname with a one-syllable given name: common name: review, not block"
        if self.total < need:
            return f"name information {self.total:.1f} < {need:g}: common name: review, not block"
        return ""


#: The rarest word's weight over the bundled lists (about 86,000 name forms): the scale on which
#: the information thresholds of matching.toml are set.
REFERENCE_MAX_WEIGHT = 11.4


def _cap(token: str, cfg) -> tuple[float, str]:
    names = common_names()
    if token in names.very_common:
        return cfg.very_common_information, VERY_COMMON
    if token in names.common:
        return cfg.common_information, COMMON
    return float("inf"), ""


def name_information(hit, index, cfg, noise_words=frozenset()) -> NameInformation:
    """The information of ``hit`` (a :class:`proscribe.match.engine.NameHit`) under the index's
    weights and the world-commonness caps of ``cfg`` (the [decision] section)."""
    names = common_names()
    aligned: list[tuple[str, str, float, str]] = []  # (query word, list word, similarity, how)
    matched_query: set[str] = set()
    for qtext, ftext, sim, how in hit.alignment:
        fparts, qparts = ftext.split(" "), qtext.split(" ")
        matched_query.update(qparts)
        if len(fparts) > 1:  # a joined query word over several list words
            aligned.extend((qtext, part, sim, how) for part in fparts)
        else:
            aligned.extend((part, ftext, sim, how) for part in qparts[:1])
    list_words = [a[1] for a in aligned]
    east = any(w in names.east_asian_surnames for w in list_words) and all(
        w in names.east_asian_surnames or syllables_of(w) for w in list_words
    )
    out = NameInformation(0.0, east_asian=east)
    surname_seen = False
    # Rarity weights are inverse document frequencies, so their scale grows with the index: the
    # thresholds are set on the bundled lists' scale. A small index (a bank's own list of a few
    # entries) has its weights read on that scale, or none of its names could ever block.
    scale = max(1.0, REFERENCE_MAX_WEIGHT / index.max_weight) if index.max_weight > 0 else 1.0
    for qword, fword, sim, how in aligned:
        weight = index.weight_of(fword) * scale
        if how == "initial" or len(qword) == 1 or len(fword) == 1:
            info, why = min(weight, cfg.initial_information), "initial"
        else:
            cap, why = min(_cap(fword, cfg), _cap(qword, cfg))
            if east:
                pieces = syllables_of(fword)
                if fword in names.east_asian_surnames and (not surname_seen or not pieces):
                    surname_seen = True
                    out.syllables += 1
                    why = why or "surname"
                elif pieces:
                    out.syllables += len(pieces)
                    syllable_cap = sum(
                        min(_cap(p, cfg)[0], cfg.syllable_information)
                        if p not in names.given_syllables
                        else cfg.very_common_information
                        for p in pieces
                    )
                    if syllable_cap < cap:
                        cap, why = syllable_cap, f"{len(pieces)} syllable{'s' if len(pieces) > 1 else ''}"
            info = min(weight, cap)
            why = why or "list rarity"
        info *= sim
        out.total += info
        out.tokens.append(
            {"list": fword, "weight": round(weight, 2), "information": round(info, 2), "how": why}
        )
    out.short_east_asian = east and out.syllables <= 2
    record = index.entities[hit.entity]
    if record.schema == "Person" and "window" not in hit.derived:
        out.contradiction = _middle_contradiction(hit, index, aligned, matched_query, noise_words)
    out.total = round(out.total, 3)
    return out


def _middle_contradiction(hit, index, aligned, matched_q, noise_words) -> tuple[list[str], list[str]] | None:
    """Unmatched words on both sides of a person's name (different middle names), or None."""
    matched_f = {a[1] for a in aligned}
    left_f = [
        t
        for t, role in zip(index.form_texts[hit.form], index.form_roles[hit.form])
        if role != LEGAL and t not in matched_f
    ]
    if not left_f:
        return None
    left_q = [
        t
        for t in (hit.query_form or "").split()
        if t not in matched_q and not t.startswith("lf_") and not t.isdigit() and t not in noise_words
    ]
    if not left_q:
        return None
    return left_q, left_f
