"""Resolve ownership parties to list entities through the one screening entry point.

A party whose id is a list entity id (``us_ofac_sdn-50543``) is that entity. Any other party is
screened by :func:`proscribe.screen.screen` with its name(s), country and identifiers: a ``block``
result makes it a listed (designated) person, a ``review`` result a possible one (its holdings
then lead only to ``review``). The match (entity, score, matched name, decision) is recorded.
Results from ``derived_ownership`` are ignored: a derived designation is never a seed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from proscribe.model import SCHEMATA
from proscribe.ownership.graph import Party

DERIVED_DATASET = "derived_ownership"

#: Party identifier keys the screening query understands.
_QUERY_IDENTIFIERS = {
    "registrationNumber",
    "taxNumber",
    "innCode",
    "ogrnCode",
    "leiCode",
    "idNumber",
    "passportNumber",
    "swiftBic",
    "imoNumber",
    "uscCode",
    "vatCode",
}


@dataclass
class Resolution:
    party_id: str
    decision: str  # "id" (the party is a list entity) | "block" (matched) | "review" | "clear"
    entity_id: str | None = None
    dataset: str | None = None
    source_id: str | None = None
    caption: str | None = None
    programs: tuple[str, ...] = ()
    listing_dates: tuple[str, ...] = ()
    score: float | None = None
    matched_name: str | None = None

    @property
    def listed(self) -> bool:
        return self.decision in ("id", "block")

    @property
    def uncertain(self) -> bool:
        return self.decision == "review"

    def reference(self) -> str | None:
        if not self.entity_id:
            return None
        parts = [f"{self.dataset} {self.source_id}"]
        if self.programs:
            parts.append(", ".join(self.programs))
        if self.listing_dates:
            parts.append(f"listed {self.listing_dates[0]}")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["programs"] = list(self.programs)
        data["listing_dates"] = list(self.listing_dates)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Resolution:
        data = dict(data)
        data["programs"] = tuple(data.get("programs") or ())
        data["listing_dates"] = tuple(data.get("listing_dates") or ())
        return cls(**data)


def query_for(party: Party) -> dict[str, Any] | None:
    names = [party.name] if party.name else []
    names += [n for n in party.identifiers.get("name", []) if n not in names]
    props: dict[str, list[str]] = {}
    if names:
        props["name"] = names[:20]
    if party.country and len(party.country) <= 3:
        props["country"] = [party.country]
    for key, values in party.identifiers.items():
        prop = "registrationNumber" if key == "vatCode" else key
        if prop in _QUERY_IDENTIFIERS:
            props.setdefault(prop, []).extend(values[:10])
    if not props.get("name") and len(props) <= (1 if "country" in props else 0):
        return None
    schema = party.schema if party.schema in SCHEMATA else "LegalEntity"
    return {"id": party.id, "schema": schema, "properties": props}


def resolve_parties(parties: dict[str, Party], index=None) -> dict[str, Resolution]:
    """Every party's resolution against ``index`` (default: the current screening index)."""
    from proscribe.screen import QueryError, get_index, screen

    index = index or get_index()
    by_id = {record.id: record for record in index.entities if record.dataset != DERIVED_DATASET}
    out: dict[str, Resolution] = {}
    for pid, party in parties.items():
        record = by_id.get(pid)
        if record is not None:
            out[pid] = _from_record(pid, "id", record, 1.0, record.caption)
            continue
        query = query_for(party)
        if query is None:
            out[pid] = Resolution(pid, "clear")
            continue
        try:
            result = screen(query, index=index)
        except QueryError:
            out[pid] = Resolution(pid, "clear")
            continue
        hits = [r for r in result["results"] if r["dataset"] != DERIVED_DATASET]
        if not hits:
            out[pid] = Resolution(pid, "clear")
            continue
        best = hits[0]
        record = by_id.get(best["id"])
        decision = "block" if best.get("match") else "review"
        if record is None:
            out[pid] = Resolution(
                pid,
                decision,
                best["id"],
                best["dataset"],
                best.get("source_id"),
                best.get("caption"),
                tuple(best.get("programs") or ()),
                (),
                best["score"],
                best.get("matched_name"),
            )
        else:
            out[pid] = _from_record(pid, decision, record, best["score"], best.get("matched_name"))
    return out


def _from_record(pid: str, decision: str, record, score: float, matched: str | None) -> Resolution:
    return Resolution(
        pid,
        decision,
        record.id,
        record.dataset,
        record.source_id,
        record.caption,
        tuple(record.programs),
        tuple(record.listing_dates),
        round(float(score), 4),
        matched,
    )
