"""The declared ISO 20022 path maps: which element of which version holds which party, agent,
account and free text (``iso_maps/<family>.toml``, read from the official schemas).

The reader (:mod:`.iso20022`) has no per-version code: a new version, or a family, is a data
change. A slot (``[[slot]]``) names a path from the message element (``CdtTrfTxInf/Dbtr``), what it
holds (``party``, ``agent``, ``fi_party``: a financial institution as debtor or creditor, or
``choice``: a ``Pty`` or an ``Agt``), the role it plays and the versions that define it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MAP_DIR = Path(__file__).with_name("iso_maps")
KINDS = frozenset({"party", "agent", "fi_party", "choice"})


def parse_versions(text: str) -> frozenset[int]:
    """``"02-07,09-11"`` -> {2, ..., 7, 9, 10, 11}."""
    out: set[int] = set()
    for part in text.split(","):
        low, _, high = part.strip().partition("-")
        out.update(range(int(low), int(high or low) + 1))
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Slot:
    path: str
    kind: str
    role: str
    account: str | None
    versions: frozenset[int]


@dataclass(frozen=True, slots=True)
class VersionMap:
    """One family's map for one version: only the slots and texts that version defines."""

    family: str
    version: int
    root: str
    transaction: str
    block: str
    message_id: str
    count: str
    amount: tuple[str, ...]
    amount_required: bool
    date: tuple[str, ...]
    end_to_end: str
    end_to_end_required: bool
    instruction: str
    uetr: str
    required: frozenset[str]
    transactions_required: bool
    slots: tuple[Slot, ...]
    texts: tuple[str, ...]

    @property
    def fmt(self) -> str:
        return f"{self.family}.{self.version:02d}"


@dataclass(frozen=True, slots=True)
class FamilyMap:
    family: str
    versions: frozenset[int]
    raw: dict

    def version(self, number: int) -> VersionMap | None:
        return _version(self.family, number) if number in self.versions else None


@cache
def families() -> dict[str, FamilyMap]:
    """Every declared family by its name (``pacs.008.001``)."""
    out = {}
    for path in sorted(MAP_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
        for slot in raw.get("slot", []):
            if slot["kind"] not in KINDS:
                raise ValueError(f"{path.name}: slot {slot['path']} has unknown kind {slot['kind']!r}")
        out[raw["family"]] = FamilyMap(raw["family"], parse_versions(raw["versions"]), raw)
    return out


@cache
def _version(family: str, number: int) -> VersionMap:
    raw = families()[family].raw
    root = next(name for spec, name in raw["roots"].items() if number in parse_versions(spec))
    slots = tuple(
        Slot(s["path"], s["kind"], s["role"], s.get("account"), parse_versions(s["versions"]))
        for s in raw.get("slot", [])
        if number in parse_versions(s["versions"])
    )
    texts = tuple(t["path"] for t in raw.get("text", []) if number in parse_versions(t["versions"]))
    return VersionMap(
        family=family,
        version=number,
        root=root,
        transaction=raw["transaction"],
        block=raw.get("block", ""),
        message_id=raw["message_id"],
        count=raw.get("count", ""),
        amount=tuple(raw.get("amount", [])),
        amount_required=raw.get("amount_required", False),
        date=tuple(raw.get("date", [])),
        end_to_end=raw["end_to_end"],
        end_to_end_required=raw.get("end_to_end_required", False),
        instruction=raw.get("instruction", ""),
        uetr=raw.get("uetr", ""),
        required=frozenset(raw.get("required", [])),
        transactions_required=raw.get("transactions_required", True),
        slots=slots,
        texts=texts,
    )


def roots() -> frozenset[str]:
    """Every message element name of every declared family and version."""
    return frozenset(name for fam in families().values() for name in fam.raw["roots"].values())
