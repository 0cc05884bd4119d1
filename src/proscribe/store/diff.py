"""What changed between two snapshots of a dataset: added, removed and changed entities, with
the fields that changed. Used by ``proscribe lists diff``, the API's changes endpoint and
ongoing monitoring (which re-screens only what a change can affect)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import Engine, select

from proscribe.store.db import connect, entities
from proscribe.store.snapshots import Snapshot, entity_hashes, get_snapshot, list_snapshots


@dataclass
class EntityChange:
    entity_id: str
    caption: str
    kind: str  # added | removed | changed
    fields: dict[str, dict[str, list]] = field(default_factory=dict)  # field -> {"removed": [...], "added": [...]}


@dataclass
class SnapshotDiff:
    dataset: str
    old: Snapshot
    new: Snapshot
    added: list[EntityChange]
    removed: list[EntityChange]
    changed: list[EntityChange]

    def to_dict(self) -> dict:
        def change(c: EntityChange) -> dict:
            data = {"entity_id": c.entity_id, "caption": c.caption, "kind": c.kind}
            if c.fields:
                data["fields"] = c.fields
            return data

        return {
            "dataset": self.dataset,
            "from": {"snapshot": self.old.id, "published": self.old.published},
            "to": {"snapshot": self.new.id, "published": self.new.published},
            "summary": {"added": len(self.added), "removed": len(self.removed), "changed": len(self.changed)},
            "added": [change(c) for c in self.added],
            "removed": [change(c) for c in self.removed],
            "changed": [change(c) for c in self.changed],
        }


def _records(snapshot_id: int, ids: set[str], engine: Engine) -> dict[str, dict]:
    out: dict[str, dict] = {}
    if not ids:
        return out
    id_list = sorted(ids)
    with engine.connect() as conn:
        for start in range(0, len(id_list), 500):
            chunk = id_list[start : start + 500]
            rows = conn.execute(
                select(entities.c.entity_id, entities.c.data).where(
                    entities.c.snapshot_id == snapshot_id, entities.c.entity_id.in_(chunk)
                )
            )
            for entity_id, data in rows:
                out[entity_id] = json.loads(data)
    return out


def _flatten(record: dict) -> dict[str, list]:
    """Every comparable field of a stored entity as a list of printable values."""
    flat: dict[str, list] = {"schema": [record["schema"]]}
    for prop, values in record.get("properties", {}).items():
        flat[prop] = list(values)
    for key in ("identifiers", "addresses", "sanctions", "links"):
        items = record.get(key) or []
        if items:
            flat[key] = [json.dumps(item, sort_keys=True, ensure_ascii=False) for item in items]
    return flat


def field_changes(old: dict, new: dict) -> dict[str, dict[str, list]]:
    a, b = _flatten(old), _flatten(new)
    changes: dict[str, dict[str, list]] = {}
    for key in sorted(set(a) | set(b)):
        before, after = a.get(key, []), b.get(key, [])
        removed = [v for v in before if v not in after]
        added = [v for v in after if v not in before]
        if removed or added:
            changes[key] = {"removed": removed, "added": added}
    return changes


def diff_snapshots(old_id: int, new_id: int, *, engine: Engine | None = None) -> SnapshotDiff:
    engine = engine or connect()
    old, new = get_snapshot(old_id, engine=engine), get_snapshot(new_id, engine=engine)
    if old.dataset != new.dataset:
        raise ValueError(f"snapshots {old_id} and {new_id} belong to different datasets")
    old_hashes, new_hashes = entity_hashes(old_id, engine=engine), entity_hashes(new_id, engine=engine)
    added_ids = set(new_hashes) - set(old_hashes)
    removed_ids = set(old_hashes) - set(new_hashes)
    changed_ids = {i for i in set(old_hashes) & set(new_hashes) if old_hashes[i] != new_hashes[i]}
    old_records = _records(old_id, removed_ids | changed_ids, engine)
    new_records = _records(new_id, added_ids | changed_ids, engine)

    def caption(record: dict) -> str:
        props = record.get("properties", {})
        return (props.get("name") or props.get("alias") or [record.get("source_id", "")])[0]

    added = [EntityChange(i, caption(new_records[i]), "added") for i in sorted(added_ids)]
    removed = [EntityChange(i, caption(old_records[i]), "removed") for i in sorted(removed_ids)]
    changed = [
        EntityChange(i, caption(new_records[i]), "changed", field_changes(old_records[i], new_records[i]))
        for i in sorted(changed_ids)
    ]
    return SnapshotDiff(new.dataset, old, new, added, removed, changed)


def resolve_pair(dataset: str, old: str | None, new: str | None, *, engine: Engine | None = None) -> tuple[int, int]:
    """Pick the two snapshots to compare: explicit ids or publication dates, else the two newest."""
    snaps = list_snapshots(dataset, engine=engine)
    if len(snaps) < 2 and (old is None or new is None):
        raise ValueError(f"dataset {dataset} has {len(snaps)} snapshot(s); a diff needs two")

    def pick(ref: str) -> Snapshot:
        for snap in snaps:
            if ref == str(snap.id) or ref == snap.published:
                return snap
        raise ValueError(f"no snapshot {ref!r} of {dataset} (known: {', '.join(s.label for s in snaps)})")

    ordered = sorted(snaps, key=lambda s: ((s.published or ""), s.id))
    old_snap = pick(old) if old else ordered[-2]
    new_snap = pick(new) if new else ordered[-1]
    return old_snap.id, new_snap.id
