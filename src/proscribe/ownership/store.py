"""Ownership in the store: parties with their list resolution, edges, imports, derived
designations per regime (status, aggregate, path, computed_at) and the log of status changes.

:func:`compute` recomputes every regime. The computed state of each regime is kept next to the
store (``PROSCRIBE_HOME/ownership/``); when the edges are unchanged since then, only the parties
whose designation changed are fed to :meth:`RegimeResult.update`, which recomputes the part of
the graph downstream of them. The state file is in a format that cannot run code when read
(:mod:`proscribe.index.safe_format`), its sha256 is recorded in the store
(``ownership_state_files``) and checked before it is read: a planted, changed or unreadable state
file is recomputed in full, with a warning, never trusted. Either way, only rows whose status changed are written to
``ownership_changes`` (what ``proscribe ownership changes`` lists).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import os
from typing import Any

import numpy as np
from sqlalchemy import Column, Float, Integer, String, Table, Text, delete, insert, select

from proscribe import settings
from proscribe.index import safe_format
from proscribe.model import Entity, Sanction
from proscribe.ownership import explain as explain_mod
from proscribe.ownership.graph import Edge, Fixpoint, Issue, OwnershipData, OwnershipGraph, Party, today
from proscribe.ownership.regime import (
    REGIME_NAMES,
    STATUS_LABEL,
    RegimeResult,
    channels,
    regime_by_name,
)
from proscribe.ownership.regime import compute as compute_regime
from proscribe.ownership.resolve import DERIVED_DATASET, Resolution
from proscribe.store.db import connect, metadata

parties_table = Table(
    "ownership_parties",
    metadata,
    Column("party_id", String(300), primary_key=True),
    Column("name", Text),
    Column("schema", String(30), nullable=False),
    Column("country", String(10)),
    Column("data", Text, nullable=False),  # JSON: identifiers, source, described
    Column("resolution", Text),  # JSON Resolution
    Column("resolved_at", String(32)),
)

edges_table = Table(
    "ownership_edges",
    metadata,
    Column("edge_id", String(400), primary_key=True),
    Column("owner_id", String(300), nullable=False, index=True),
    Column("owned_id", String(300), nullable=False, index=True),
    Column("relationship", String(20), nullable=False),
    Column("share_low", Float),
    Column("share_high", Float),
    Column("share_text", Text),
    Column("control_basis", Text),
    Column("joint_group", Text),
    Column("start_date", String(10)),
    Column("end_date", String(10)),
    Column("source", Text),
    Column("location", Text),
    Column("flags", Text),
    Column("import_id", Integer),
)

imports_table = Table(
    "ownership_imports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("imported_at", String(32), nullable=False),
    Column("counts", Text, nullable=False),
    Column("issues", Text, nullable=False),
)

derived_table = Table(
    "ownership_derived",
    metadata,
    Column("regime", String(10), primary_key=True),
    Column("party_id", String(300), primary_key=True),
    Column("status", String(10), nullable=False),
    Column("aggregate", Float),
    Column("explanation", Text, nullable=False),
    Column("path", Text, nullable=False),  # JSON PathNode
    Column("computed_at", String(32), nullable=False),
)

changes_table = Table(
    "ownership_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("regime", String(10), nullable=False, index=True),
    Column("party_id", String(300), nullable=False),
    Column("old_status", String(10), nullable=False),
    Column("new_status", String(10), nullable=False),
    Column("explanation", Text, nullable=False),
    Column("computed_at", String(32), nullable=False),
    Column("mode", String(12), nullable=False),  # incremental | full
)

#: One row per ownership state file this code wrote (``PROSCRIBE_HOME/ownership/``): its name and
#: sha256. A state file is loaded only when its bytes are the recorded ones.
state_files_table = Table(
    "ownership_state_files",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("saved_at", String(32), nullable=False),
)

log = logging.getLogger("proscribe.ownership")


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds")


# -- import --------------------------------------------------------------------------------------


def save_import(
    data: OwnershipData, resolutions: dict[str, Resolution], *, file: str, sha256: str, engine=None
) -> int:
    """Store parties (with their resolution) and edges; edges with the same id are replaced."""
    engine = engine or connect()
    now = _now()
    counts = {
        "parties": len(data.parties),
        "edges": len(data.edges),
        "issues": len(data.issues),
        "listed": sum(1 for r in resolutions.values() if r.listed),
        "review": sum(1 for r in resolutions.values() if r.uncertain),
    }
    with engine.begin() as conn:
        import_id = conn.execute(
            insert(imports_table).values(
                file=file,
                sha256=sha256,
                imported_at=now,
                counts=json.dumps(counts),
                issues=json.dumps([i.__dict__ for i in data.issues], ensure_ascii=False),
            )
        ).inserted_primary_key[0]
        ids = list(data.parties)
        for chunk in _chunks(ids):
            conn.execute(delete(parties_table).where(parties_table.c.party_id.in_(chunk)))
        rows = []
        for pid, party in data.parties.items():
            res = resolutions.get(pid)
            rows.append(
                {
                    "party_id": pid,
                    "name": party.name,
                    "schema": party.schema,
                    "country": party.country,
                    "data": json.dumps(
                        {
                            "identifiers": party.identifiers,
                            "source": party.source,
                            "described": party.described,
                        },
                        ensure_ascii=False,
                    ),
                    "resolution": json.dumps(res.to_dict(), ensure_ascii=False) if res else None,
                    "resolved_at": now if res else None,
                }
            )
        if rows:
            conn.execute(insert(parties_table), rows)
        edge_ids = [e.id for e in data.edges]
        for chunk in _chunks(edge_ids):
            conn.execute(delete(edges_table).where(edges_table.c.edge_id.in_(chunk)))
        rows = [
            {
                "edge_id": e.id,
                "owner_id": e.owner,
                "owned_id": e.owned,
                "relationship": e.relationship,
                "share_low": e.share_low,
                "share_high": e.share_high,
                "share_text": e.share_text,
                "control_basis": e.control_basis,
                "joint_group": e.joint_group,
                "start_date": e.start_date,
                "end_date": e.end_date,
                "source": e.source,
                "location": e.where,
                "flags": json.dumps(e.flags),
                "import_id": import_id,
            }
            for e in _dedupe(data.edges)
        ]
        if rows:
            conn.execute(insert(edges_table), rows)
    return import_id


def _dedupe(edges: list[Edge]) -> list[Edge]:
    seen: dict[str, Edge] = {}
    for edge in edges:
        key = edge.id
        n = 1
        while key in seen:
            n += 1
            key = f"{edge.id}~{n}"
        edge.id = key
        seen[key] = edge
    return list(seen.values())


def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def load_data(engine=None) -> tuple[OwnershipData, dict[str, Resolution]]:
    engine = engine or connect()
    data = OwnershipData()
    resolutions: dict[str, Resolution] = {}
    with engine.connect() as conn:
        for row in conn.execute(select(parties_table)):
            extra = json.loads(row.data)
            data.parties[row.party_id] = Party(
                row.party_id,
                row.name,
                row.schema,
                row.country,
                extra.get("identifiers") or {},
                extra.get("source"),
                extra.get("described", True),
            )
            if row.resolution:
                resolutions[row.party_id] = Resolution.from_dict(json.loads(row.resolution))
        for row in conn.execute(select(edges_table).order_by(edges_table.c.edge_id)):
            data.edges.append(
                Edge(
                    row.edge_id,
                    row.owner_id,
                    row.owned_id,
                    row.relationship,
                    row.share_low,
                    row.share_high,
                    row.share_text,
                    row.control_basis,
                    row.joint_group,
                    row.start_date,
                    row.end_date,
                    row.source,
                    row.location or "",
                    json.loads(row.flags or "[]"),
                )
            )
    return data, resolutions


def save_resolutions(resolutions: dict[str, Resolution], engine=None) -> None:
    from sqlalchemy import update

    engine = engine or connect()
    now = _now()
    with engine.begin() as conn:
        for pid, res in resolutions.items():
            conn.execute(
                update(parties_table)
                .where(parties_table.c.party_id == pid)
                .values(resolution=json.dumps(res.to_dict(), ensure_ascii=False), resolved_at=now)
            )


def import_issues(engine=None, limit: int = 1) -> list[Issue]:
    engine = engine or connect()
    with engine.connect() as conn:
        rows = conn.execute(
            select(imports_table.c.issues).order_by(imports_table.c.id.desc()).limit(limit)
        ).all()
    return [Issue(**i) for row in rows for i in json.loads(row[0])]


# -- computation ---------------------------------------------------------------------------------


class Context:
    """The graph of the stored data with the listed masks and a describer for explanations."""

    def __init__(self, data: OwnershipData, resolutions: dict[str, Resolution], as_of: str | None = None):
        self.data = data
        self.resolutions = resolutions
        self.as_of = as_of or today()
        self.graph = OwnershipGraph.from_data(data, self.as_of)
        ids = self.graph.ids
        self.listed = np.array(
            [resolutions.get(pid, Resolution(pid, "clear")).listed for pid in ids], dtype=bool
        )
        self.uncertain = np.array(
            [resolutions.get(pid, Resolution(pid, "clear")).uncertain for pid in ids], dtype=bool
        )
        self.signature = hashlib.sha256(
            "\n".join(
                f"{e.id}|{e.owner}|{e.owned}|{e.relationship}|{e.bounds}|{e.joint_group}|{e.control_basis}"
                for e in (self.graph.edges or [])
            ).encode()
        ).hexdigest()

    def describe(self, node: int) -> explain_mod.NodeInfo:
        pid = self.graph.ids[node]
        party = self.data.parties.get(pid)
        res = self.resolutions.get(pid)
        caption = (party.name if party and party.name else None) or (res.caption if res else None) or pid
        if res and res.listed:
            return explain_mod.NodeInfo(pid, res.caption or caption, res.reference())
        if res and res.uncertain:
            return explain_mod.NodeInfo(
                pid, caption, res.reference(), f"possible match {res.caption} (score {res.score})"
            )
        return explain_mod.NodeInfo(pid, caption)


#: The layout of the saved computation state; a state of another layout is recomputed in full
#: (2: integer share units and the ``unknown`` relationship kind; 3: the safe format, not pickle).
STATE_VERSION = 3

#: The only class a state file may name: the graph's edge records (everything else is arrays,
#: numbers, strings and containers, and the objects are rebuilt here through their constructors).
_STATE_CLASSES: dict[str, type] = {"Edge": Edge}

#: What a fixpoint computed (the rest, weights and thresholds, follows from the graph and the rule).
_FIXPOINT_STATE = ("member", "seeds", "sums", "rank", "clock")
_CONTROLLER_STATE = ("member", "seeds", "keys", "contrib", "passed_at", "sums", "joint_counted")


class StateFileError(ValueError):
    """A state file that must not be used: not recorded, changed since it was written, unreadable."""


def _state_path(regime: str):
    folder = settings.home() / "ownership"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"state-{regime}.npz"


def compute(
    regimes: tuple[str, ...] = REGIME_NAMES,
    *,
    engine=None,
    as_of: str | None = None,
    context: Context | None = None,
) -> dict[str, dict[str, Any]]:
    """Recompute the regimes on the stored data; returns, per regime, the mode (incremental or
    full), the changed parties and the counts."""
    engine = engine or connect()
    if context is None:
        data, resolutions = load_data(engine)
        context = Context(data, resolutions, as_of)
    out: dict[str, dict[str, Any]] = {}
    for name in regimes:
        regime = regime_by_name(name)
        result, mode = _incremental_or_full(regime, context, engine)
        out[name] = _persist(regime, result, context, mode, engine)
        out[name]["mode"] = mode
    return out


def _edge_keys(graph: OwnershipGraph) -> dict[tuple, tuple]:
    return {
        (e.owner, e.owned, e.relationship, e.joint_group): (e.bounds, e.control_basis)
        for e in (graph.edges or [])
    }


def _incremental_or_full(regime, context: Context, engine=None) -> tuple[RegimeResult, str]:
    """Update the saved state when there is one for the same date: only the designations that
    changed (and the entities whose incoming edges changed) are recomputed, downstream."""
    path = _state_path(regime.name)
    state = _load_state(path, regime, engine)
    if state and state.get("version") == STATE_VERSION and state.get("as_of") == context.as_of:
        previous: RegimeResult = state["result"]
        if state.get("signature") == context.signature and previous.graph.ids == context.graph.ids:
            previous.graph.edges = context.graph.edges
            previous.update(context.listed, context.uncertain)
            _save_state(path, regime, previous, context, engine)
            return previous, "incremental" if regime.aggregate else "full"
        old_keys, new_keys = _edge_keys(previous.graph), _edge_keys(context.graph)
        touched = {key[1] for key in set(old_keys) ^ set(new_keys)}
        touched |= {key[1] for key in set(old_keys) & set(new_keys) if old_keys[key] != new_keys[key]}
        result = previous.rebase(context.graph, context.listed, context.uncertain, touched)
        _save_state(path, regime, result, context, engine)
        return result, "incremental" if regime.aggregate else "full"
    result = compute_regime(regime, context.graph, context.listed, context.uncertain)
    _save_state(path, regime, result, context, engine)
    return result, "full"


def _save_state(path, regime, result: RegimeResult, context: Context, engine=None) -> None:
    """Write the state in the safe format (:mod:`proscribe.index.safe_format`: arrays and JSON,
    nothing that runs code when read) atomically and record its sha256 in the store, so that only
    this file is ever loaded from ``path``. A state that cannot be written is forgotten (the next
    computation is a full one), never left half-recorded."""
    state = {
        "version": STATE_VERSION,
        "regime": regime.name,
        "signature": context.signature,
        "as_of": context.as_of,
        "graph": _graph_state(result.graph),
        "listed": result.listed,
        "uncertain": result.uncertain,
        "certain": _fixpoint_state(result.certain, regime),
        "possible": _fixpoint_state(result.possible, regime),
    }
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        data = safe_format.dumps(state, _STATE_CLASSES)
        with tmp.open("wb") as handle:
            handle.write(data)
        tmp.replace(path)
    except (OSError, TypeError) as exc:
        log.warning(
            "ownership state %s could not be written (%s): the next computation is a full one", path, exc
        )
        tmp.unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        _forget_state(path, engine)
        return
    _record_state(path, hashlib.sha256(data).hexdigest(), len(data), engine)
    path.with_suffix(".pkl").unlink(missing_ok=True)  # the pickled state of older versions: never read


def _load_state(path, regime, engine=None) -> dict[str, Any] | None:
    """The saved state in ``path`` if its bytes are the ones recorded when it was written and it
    reads as a state of this layout; None when it must be recomputed in full (with a warning
    saying why when a file was there but could not be trusted)."""
    if not path.exists():
        return None
    try:
        data = path.read_bytes()
        expected = _recorded_state_hash(path, engine)
        if expected is None:
            raise StateFileError("it has no recorded hash (it was not written here)")
        digest = hashlib.sha256(data).hexdigest()
        if not hmac.compare_digest(digest, expected):
            raise StateFileError(
                f"it was changed after it was written (sha256 {digest}, recorded {expected})"
            )
        try:
            raw = safe_format.loads(data, _STATE_CLASSES)
        except Exception as exc:  # any failure to parse: recomputed, never trusted
            raise StateFileError(f"it is not a readable state file ({type(exc).__name__}: {exc})") from None
        if not isinstance(raw, dict) or raw.get("version") != STATE_VERSION:
            return None  # another layout: recomputed in full, as always
        if raw.get("regime") != regime.name:
            raise StateFileError(f"it holds the state of regime {raw.get('regime')!r}")
        try:
            return _state_from(raw, regime)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise StateFileError(
                f"it does not hold a well-formed state ({type(exc).__name__}: {exc})"
            ) from None
    except (OSError, StateFileError) as exc:
        log.warning("ownership state %s ignored, %s is recomputed in full: %s", path, regime.name, exc)
        return None


def _graph_state(graph: OwnershipGraph) -> dict[str, Any]:
    return {
        "ids": list(graph.ids),
        "src": graph.src,
        "dst": graph.dst,
        "kind": graph.kind,
        "low": graph.low,
        "high": graph.high,
        "joint": graph.joint,
        "joint_names": list(graph.joint_names),
        "edges": graph.edges,
    }


def _fixpoint_state(fixpoint: Any, regime) -> dict[str, Any]:
    names = _FIXPOINT_STATE if regime.aggregate else _CONTROLLER_STATE
    return {name: getattr(fixpoint, name) for name in names if hasattr(fixpoint, name)}


def _array(value: Any, dtype, shape: tuple[int, ...]) -> np.ndarray:
    """A stored array checked against the graph it belongs to (a writable copy)."""
    if not isinstance(value, np.ndarray) or value.dtype != np.dtype(dtype) or value.shape != shape:
        raise ValueError(
            f"an array of {getattr(value, 'dtype', type(value).__name__)} "
            f"{getattr(value, 'shape', '')} where {np.dtype(dtype)} {shape} belongs"
        )
    return np.array(value, copy=True)


def _state_from(raw: dict[str, Any], regime) -> dict[str, Any]:
    """The saved computation rebuilt through the constructors of the graph and the fixpoints
    (which derive weights, thresholds and adjacency from the graph and the rule), then given
    what they had computed."""
    g = raw["graph"]
    ids = g["ids"]
    if not isinstance(ids, list) or not all(isinstance(pid, str) for pid in ids):
        raise ValueError("node ids are not a list of strings")
    m = len(g["src"])
    edges = g["edges"]
    if edges is not None and (not isinstance(edges, list) or len(edges) != m):
        raise ValueError("the edge records do not match the edge arrays")
    graph = OwnershipGraph(
        ids,
        _array(g["src"], np.int32, (m,)),
        _array(g["dst"], np.int32, (m,)),
        _array(g["kind"], np.int8, (m,)),
        _array(g["low"], np.float64, (m,)),
        _array(g["high"], np.float64, (m,)),
        _array(g["joint"], np.int32, (m,)),
        edges=edges,
        joint_names=list(g["joint_names"]),
    )
    if m and (graph.src.min() < 0 or graph.dst.min() < 0 or max(graph.src.max(), graph.dst.max()) >= graph.n):
        raise ValueError("an edge names a node the graph does not have")
    n = graph.n
    levels = []
    for level in ("certain", "possible"):
        saved = raw[level]
        if regime.aggregate:
            fp = Fixpoint(graph, channels(regime, graph, level))
            fp.member = _array(saved["member"], np.bool_, (n,))
            fp.seeds = _array(saved["seeds"], np.bool_, (n,))
            fp.sums = _array(saved["sums"], np.int64, (len(fp.channels), n))
            fp.rank = _array(saved["rank"], np.int64, (n,))
            fp.clock = int(saved["clock"])
        else:
            from proscribe.ownership.uk import ControllerFixpoint

            fp = ControllerFixpoint(graph, regime, level)
            fp.member = _array(saved["member"], np.bool_, (n,))
            fp.seeds = _array(saved["seeds"], np.bool_, (n,))
            for name, kind in (("keys", dict), ("contrib", dict), ("passed_at", dict), ("sums", dict)):
                if name in saved:
                    if not isinstance(saved[name], kind):
                        raise ValueError(f"{level} {name} is not a {kind.__name__}")
                    setattr(fp, name, saved[name])
            if "joint_counted" in saved:
                fp.joint_counted = set(saved["joint_counted"])
        levels.append(fp)
    result = RegimeResult(
        regime,
        graph,
        _array(raw["listed"], np.bool_, (n,)),
        _array(raw["uncertain"], np.bool_, (n,)),
        levels[0],
        levels[1],
    )
    return {"version": raw["version"], "signature": raw["signature"], "as_of": raw["as_of"], "result": result}


def _record_state(path, digest: str, size: int, engine=None) -> None:
    with (engine or connect()).begin() as conn:
        conn.execute(delete(state_files_table).where(state_files_table.c.name == path.name))
        conn.execute(
            insert(state_files_table).values(name=path.name, sha256=digest, size=size, saved_at=_now())
        )


def _forget_state(path, engine=None) -> None:
    with (engine or connect()).begin() as conn:
        conn.execute(delete(state_files_table).where(state_files_table.c.name == path.name))


def _recorded_state_hash(path, engine=None) -> str | None:
    with (engine or connect()).connect() as conn:
        return conn.execute(
            select(state_files_table.c.sha256).where(state_files_table.c.name == path.name)
        ).scalar()


def _persist(regime, result: RegimeResult, context: Context, mode: str, engine) -> dict[str, Any]:
    now = _now()
    ids = context.graph.ids
    with engine.connect() as conn:
        previous = {
            row.party_id: row.status
            for row in conn.execute(
                select(derived_table.c.party_id, derived_table.c.status).where(
                    derived_table.c.regime == regime.name
                )
            )
        }
    current: dict[str, tuple[str, float | None, str, str]] = {}
    for node in result.derived():
        node = int(node)
        tree = explain_mod.path_tree(result, node, context.describe)
        text = explain_mod.sentence(result, node, context.describe, tree)
        current[ids[node]] = (
            STATUS_LABEL[int(result.status[node])],
            tree.share,
            text,
            json.dumps(tree.to_dict(), ensure_ascii=False),
        )
    changes = []
    for pid in sorted(set(previous) | set(current)):
        old = previous.get(pid, "none")
        new = current[pid][0] if pid in current else "none"
        if old != new:
            if pid in current:
                reason = current[pid][2]
            elif regime.name == "ofac":
                reason = (
                    f"no longer {'blocked' if old == 'block' else 'to review'} under {regime.label}: the "
                    "holdings of blocked persons fell below 50%, a designation was removed or the data "
                    "changed (property blocked before stays blocked: OFAC FAQ 402)"
                )
            else:
                reason = (
                    f"no longer {'blocked' if old == 'block' else 'to review'} under {regime.label}: not "
                    "owned or controlled by designated persons in the current data"
                )
            changes.append(
                {
                    "regime": regime.name,
                    "party_id": pid,
                    "old_status": old,
                    "new_status": new,
                    "explanation": reason,
                    "computed_at": now,
                    "mode": mode,
                }
            )
    with engine.begin() as conn:
        conn.execute(delete(derived_table).where(derived_table.c.regime == regime.name))
        rows = [
            {
                "regime": regime.name,
                "party_id": pid,
                "status": st,
                "aggregate": agg,
                "explanation": text,
                "path": path,
                "computed_at": now,
            }
            for pid, (st, agg, text, path) in current.items()
        ]
        if rows:
            conn.execute(insert(derived_table), rows)
        if changes:
            conn.execute(insert(changes_table), changes)
    return {
        "changes": changes,
        "block": sum(1 for v in current.values() if v[0] == "block"),
        "review": sum(1 for v in current.values() if v[0] == "review"),
        "computed_at": now,
    }


def list_changes(regime: str | None = None, *, all_runs: bool = False, engine=None) -> list[dict[str, Any]]:
    """Changes of derived status: those of the latest computation (per regime), or all."""
    engine = engine or connect()
    query = select(changes_table).order_by(changes_table.c.id)
    if regime:
        query = query.where(changes_table.c.regime == regime)
    with engine.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(query)]
    if all_runs:
        return rows
    latest: dict[str, str] = {}
    for row in rows:
        latest[row["regime"]] = max(latest.get(row["regime"], ""), row["computed_at"])
    return [row for row in rows if row["computed_at"] == latest[row["regime"]]]


def load_derived(regime: str = "ofac", engine=None) -> list[dict[str, Any]]:
    engine = engine or connect()
    with engine.connect() as conn:
        return [
            dict(row._mapping)
            for row in conn.execute(
                select(derived_table)
                .where(derived_table.c.regime == regime)
                .order_by(derived_table.c.party_id)
            )
        ]


def derived_entities(regime: str = "ofac", *, engine=None) -> list[Entity]:
    """Derived designations under ``regime`` as entities for the screening index: dataset
    ``derived_ownership``, id ``derived_ownership-{regime}-{party}``, the party's names and
    identifiers, one :class:`Sanction` whose ``reason`` is the path sentence and whose
    ``program`` is ``OWNERSHIP-{REGIME}-{BLOCK|REVIEW}``; ``notes`` repeat the sentence and
    ``topics`` say ``sanction.linked``. Listed parties are not included (they are on the lists)."""
    regime_obj = regime_by_name(regime)
    engine = engine or connect()
    data, _ = load_data(engine)
    out = []
    for row in load_derived(regime, engine):
        party = data.parties.get(row["party_id"])
        source_id = f"{regime}-{row['party_id']}"
        entity = Entity(
            id=f"{DERIVED_DATASET}-{source_id}",
            schema=(
                party.schema
                if party
                and party.schema in ("Person", "Company", "Organization", "LegalEntity", "Vessel", "Airplane")
                else "LegalEntity"
            ),
            dataset=DERIVED_DATASET,
            source_id=source_id,
        )
        if party is not None:
            entity.add("name", party.name or party.id)
            entity.add("alias", [n for n in party.identifiers.get("name", []) if n != party.name])
            if party.country:
                entity.add("country", party.country)
            from proscribe.model import Identifier
            from proscribe.sources.ftm_json import FTM_IDENTIFIER_TYPES

            for prop, values in party.identifiers.items():
                kind = FTM_IDENTIFIER_TYPES.get(prop)
                for value in values if kind else []:
                    entity.add_identifier(Identifier(type=kind, value=value, label=prop))
        else:
            entity.add("name", row["party_id"])
        entity.add("notes", row["explanation"])
        entity.add("topics", "sanction.linked")
        entity.add_sanction(
            Sanction(
                authority=regime_obj.authority,
                program=f"OWNERSHIP-{regime.upper()}-{row['status'].upper()}",
                listing_date=row["computed_at"][:10],
                reason=row["explanation"],
                source_id=row["party_id"],
            )
        )
        out.append(entity)
    return out
