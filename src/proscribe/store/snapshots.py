"""List snapshots: import a parsed list atomically, find the current one, read entities back.

Rules (DESIGN.md): the store keeps every snapshot; screening uses the newest snapshot of each
dataset (by publication date, then import order); importing a file whose sha256 is already
stored for that dataset is a no-op.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, delete, func, insert, select

from proscribe.model import Entity
from proscribe.sources import PARSER_VERSION, parser
from proscribe.sources.base import ListFormatError, ParsedList
from proscribe.store import guards
from proscribe.store.db import connect, entities, snapshots
from proscribe.store.unwritable import writing


@dataclass
class Snapshot:
    id: int
    dataset: str
    format: str
    published: str | None
    source_sha256: str
    source_label: str
    imported_at: str
    parser_version: str
    entity_count: int
    schema_counts: dict[str, int]
    reconstructed: bool
    note: str | None

    @property
    def label(self) -> str:
        flag = " (reconstructed)" if self.reconstructed else ""
        return f"{self.dataset}@{self.published or 'undated'}#{self.id}{flag}"


@dataclass
class ImportResult:
    snapshot: Snapshot
    created: bool  # False when the same file was already stored (re-import is a no-op)
    warnings: list[str]
    #: Set when the import shrank the dataset past its guard and the operator allowed it.
    shrink: guards.ShrinkReport | None = None


def _row_to_snapshot(row) -> Snapshot:
    data = dict(row._mapping)
    data["schema_counts"] = json.loads(data["schema_counts"])
    data["reconstructed"] = bool(data["reconstructed"])
    return Snapshot(**data)


def source_digest(path: Path) -> str:
    """sha256 over the published bytes: one file's digest, or for a folder (OFAC's CSV set) the
    digest of the sorted member names and their digests."""
    import hashlib

    from proscribe.sources.base import file_sha256

    path = Path(path)
    if path.is_file():
        return file_sha256(path)
    if not path.is_dir():
        raise ListFormatError(path, None, "file not found")
    outer = hashlib.sha256()
    for member in sorted(p for p in path.iterdir() if p.is_file()):
        name = member.name.removesuffix(".gz").lower()
        outer.update(f"{name}:{file_sha256(member)}\n".encode())
    return outer.hexdigest()


def import_list(
    dataset: str,
    format_name: str,
    path: Path,
    *,
    published: str | None = None,
    reconstructed: bool = False,
    note: str | None = None,
    source_label: str | None = None,
    allow_shrink: bool = False,
    actor: str = "system",
    engine: Engine | None = None,
) -> ImportResult:
    """Parse ``path`` and store it as a new snapshot of ``dataset`` in one transaction.

    Everything is checked before the store is touched (:mod:`proscribe.store.guards`): the format
    is known and belongs to the dataset, the file parses completely and carries its format's
    completeness markers, and, if it would become current, it neither falls under the dataset's
    minimum nor loses more than the configured share of the current snapshot's entities. A file
    that fails raises :class:`ListFormatError` or :class:`guards.ImportRefused` and leaves the
    store exactly as it was. ``allow_shrink`` lets a genuine shrink through; it is then recorded
    in the audit trail (``list.import.shrink_allowed``) in the snapshot's own transaction.
    """
    engine = engine or connect()
    path = Path(path)
    guards.check_invocation(dataset, format_name)
    digest = source_digest(path)
    existing = find_by_digest(dataset, digest, engine=engine)
    if existing is not None:
        return ImportResult(existing, created=False, warnings=[])
    module = parser(format_name)
    parsed: ParsedList = module.parse(path, dataset)
    if not parsed.entities:
        raise ListFormatError(path, None, "the file holds no entities")
    check_complete = getattr(module, "check_complete", None)
    if check_complete is not None:
        check_complete(path, parsed)
    published = parsed.published or published
    label = source_label or str(path)
    shrink = guards.measure_shrink(dataset, {e.id for e in parsed.entities}, published, engine=engine)
    if shrink is not None and shrink.refused:
        if not allow_shrink:
            raise guards.refuse_shrink(shrink, label)
    else:
        shrink = None
    with writing(f"importing {dataset} from {label}", engine.url.render_as_string(hide_password=True)):
        snapshot = store_parsed(
            parsed,
            format_name=format_name,
            digest=digest,
            source_label=label,
            published=published,
            reconstructed=reconstructed,
            note=note,
            shrink_allowed=shrink,
            record_import=True,
            actor=actor,
            engine=engine,
        )
    return ImportResult(snapshot, created=True, warnings=parsed.warnings, shrink=shrink)


def store_parsed(
    parsed: ParsedList,
    *,
    format_name: str,
    digest: str,
    source_label: str,
    published: str | None,
    reconstructed: bool = False,
    note: str | None = None,
    shrink_allowed: guards.ShrinkReport | None = None,
    record_import: bool = False,
    actor: str = "system",
    engine: Engine | None = None,
) -> Snapshot:
    """Write a parsed list as one snapshot in one transaction (no import guards: callers that
    read a file go through :func:`import_list`). ``shrink_allowed`` writes its audit record in
    the same transaction, so an allowed shrink is never stored unrecorded; so does
    ``record_import`` for the ``list.import`` record, so a crash right after the commit never
    leaves a current snapshot that the trail does not know (a re-import is a no-op and would
    not record it)."""
    engine = engine or connect()
    seen: set[str] = set()
    for entity in parsed.entities:
        if entity.id in seen:
            raise ListFormatError(
                source_label, f"entity {entity.source_id}", "duplicate entity id in one list"
            )
        seen.add(entity.id)
    counts = Counter(entity.schema for entity in parsed.entities)
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    rows = []
    with engine.begin() as conn:
        result = conn.execute(
            insert(snapshots).values(
                dataset=parsed.dataset,
                format=format_name,
                published=published,
                source_sha256=digest,
                source_label=source_label,
                imported_at=now,
                parser_version=PARSER_VERSION,
                entity_count=len(parsed.entities),
                schema_counts=json.dumps(dict(sorted(counts.items()))),
                reconstructed=reconstructed,
                note=note,
            )
        )
        snapshot_id = result.inserted_primary_key[0]
        for entity in parsed.entities:
            data = entity.to_json()
            rows.append(
                {
                    "snapshot_id": snapshot_id,
                    "entity_id": entity.id,
                    "schema": entity.schema,
                    "caption": entity.caption,
                    "content_hash": _hash(data),
                    "data": data,
                }
            )
            if len(rows) >= 5000:
                conn.execute(insert(entities), rows)
                rows = []
        if rows:
            conn.execute(insert(entities), rows)
        if shrink_allowed is not None:
            from proscribe import audit

            payload = {**shrink_allowed.to_audit(), "snapshot": snapshot_id, "source": source_label}
            audit.append("list.import.shrink_allowed", actor, payload, conn=conn)
        if record_import:
            from proscribe import audit

            row = conn.execute(select(snapshots).where(snapshots.c.id == snapshot_id)).one()
            stored = ImportResult(_row_to_snapshot(row), created=True, warnings=parsed.warnings)
            audit.list_import_hook(stored, actor=actor, conn=conn)
    return get_snapshot(snapshot_id, engine=engine)


def _hash(data: str) -> str:
    import hashlib

    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


def datasets_present(*, engine: Engine | None = None) -> set[str]:
    """Every dataset that has at least one snapshot (one query)."""
    engine = engine or connect()
    with engine.connect() as conn:
        return {row[0] for row in conn.execute(select(snapshots.c.dataset).distinct())}


def find_by_digest(dataset: str, digest: str, *, engine: Engine | None = None) -> Snapshot | None:
    engine = engine or connect()
    with engine.connect() as conn:
        row = conn.execute(
            select(snapshots).where(snapshots.c.dataset == dataset, snapshots.c.source_sha256 == digest)
        ).first()
    return _row_to_snapshot(row) if row else None


def get_snapshot(snapshot_id: int, *, engine: Engine | None = None) -> Snapshot:
    engine = engine or connect()
    with engine.connect() as conn:
        row = conn.execute(select(snapshots).where(snapshots.c.id == snapshot_id)).first()
    if row is None:
        raise KeyError(f"no snapshot {snapshot_id}")
    return _row_to_snapshot(row)


def list_snapshots(dataset: str | None = None, *, engine: Engine | None = None) -> list[Snapshot]:
    engine = engine or connect()
    query = select(snapshots).order_by(snapshots.c.dataset, snapshots.c.published, snapshots.c.id)
    if dataset:
        query = query.where(snapshots.c.dataset == dataset)
    with engine.connect() as conn:
        return [_row_to_snapshot(row) for row in conn.execute(query)]


def current_snapshots(*, engine: Engine | None = None) -> dict[str, Snapshot]:
    """The snapshot screening uses for each dataset: newest publication date, then newest import."""
    current: dict[str, Snapshot] = {}
    for snap in list_snapshots(engine=engine):
        best = current.get(snap.dataset)
        if best is None or ((snap.published or ""), snap.id) >= ((best.published or ""), best.id):
            current[snap.dataset] = snap
    return current


def load_entities(snapshot_id: int, *, engine: Engine | None = None) -> list[Entity]:
    engine = engine or connect()
    with engine.connect() as conn:
        rows = conn.execute(
            select(entities.c.data)
            .where(entities.c.snapshot_id == snapshot_id)
            .order_by(entities.c.entity_id)
        )
        return [Entity.from_dict(json.loads(row[0])) for row in rows]


def load_entity(
    entity_id: str, *, snapshot_id: int | None = None, engine: Engine | None = None
) -> Entity | None:
    """An entity from the given snapshot, or from the current snapshot of its dataset."""
    engine = engine or connect()
    if snapshot_id is None:
        for snap in current_snapshots(engine=engine).values():
            found = load_entity(entity_id, snapshot_id=snap.id, engine=engine)
            if found is not None:
                return found
        return None
    with engine.connect() as conn:
        row = conn.execute(
            select(entities.c.data).where(
                entities.c.snapshot_id == snapshot_id, entities.c.entity_id == entity_id
            )
        ).first()
    return Entity.from_dict(json.loads(row[0])) if row else None


def entity_hashes(snapshot_id: int, *, engine: Engine | None = None) -> dict[str, str]:
    engine = engine or connect()
    with engine.connect() as conn:
        rows = conn.execute(
            select(entities.c.entity_id, entities.c.content_hash).where(entities.c.snapshot_id == snapshot_id)
        )
        return {entity_id: digest for entity_id, digest in rows}


def count_entities(*, engine: Engine | None = None) -> int:
    engine = engine or connect()
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(entities)).scalar_one()


def delete_snapshot(snapshot_id: int, *, engine: Engine | None = None) -> None:
    engine = engine or connect()
    with engine.begin() as conn:
        conn.execute(delete(entities).where(entities.c.snapshot_id == snapshot_id))
        conn.execute(delete(snapshots).where(snapshots.c.id == snapshot_id))
