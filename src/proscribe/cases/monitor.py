"""Ongoing monitoring: re-screen only what a change can affect.

A run compares the list side now (every entity of the current screening index, ownership-derived
ones included, each with a fingerprint of its content) with the state the last completed run
recorded, and the book's records with the hash each had when last screened:

- **new and changed list entries against the whole book**: the book is compiled into an index of
  its own (customers as :class:`~proscribe.model.Entity` of dataset ``book``, cached per book
  version) and each changed entry is screened against it with the same engine, at a lower
  threshold; the customers it finds are the only ones re-screened, and they are re-screened the
  normal way (:func:`proscribe.screen.screen` against the whole list), which decides and explains;
- **new and changed customers against the whole list**.

The first run (no recorded list state) screens the whole book. Every review or block result
raises an alert (:mod:`proscribe.cases.alerts`) with an idempotent key, in the same transaction
as the customer's "screened" mark and the audit records; the list state is saved only when the
run completes. A run killed half-way and run again therefore loses no alert and raises none twice.

The service calls :func:`run` after every reload (``run(index=new_index, actor="service")``).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import socket
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
from sqlalchemy import Engine, bindparam, delete, func, insert, select, update

from proscribe import audit, settings
from proscribe.cases import alerts as alert_store
from proscribe.cases import book
from proscribe.cases.store import book_customers, monitor_list_state, monitor_runs, now
from proscribe.index import files as index_files
from proscribe.index.compiled import CompiledIndex
from proscribe.model import IDENTIFIER_PROPS, SCHEMATA, Entity
from proscribe.screen import IDENTIFIER_PROPERTIES, MAX_VALUES, QueryError, parse_query, screen
from proscribe.store.db import connect, entities
from proscribe.store.snapshots import entity_hashes

#: Reverse screening (a list entry against the book) casts a wider net than the decision
#: threshold: its score runs the other way round (the customer's name is the "listed" side), and
#: every customer it finds is then screened the normal way, which decides.
REVERSE_REVIEW = 0.5
REVERSE_LIMIT = 200
CHUNK = 2000

#: Tests set this to simulate a crash: called with the number of chunks committed so far.
crash_hook: Callable[[int], None] | None = None

#: identifier type -> the query property that carries it
_TYPE_PROPERTY = {kind: prop for prop, kind in reversed(list(IDENTIFIER_PROPERTIES.items())) if kind}
_TYPE_PROPERTY.setdefault("other", "idNumber")


@dataclass
class MonitorStats:
    run: int = 0
    mode: str = "delta"  # full | delta
    list_entities: int = 0
    list_added: int = 0
    list_changed: int = 0
    list_removed: int = 0
    book_size: int = 0
    customers_changed: int = 0
    customers_stale: int = 0  # changed after the book index was compiled: screened against list changes
    reverse_queries: int = 0
    reverse_candidates: int = 0
    customers_screened: int = 0
    alerts_raised: int = 0
    alerts_existing: int = 0
    alerts_suppressed: int = 0
    goodguys_lapsed: int = 0
    errors: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    screened_ids: list[str] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("screened_ids")
        return data


# -- the list side ------------------------------------------------------------------------------


def list_fingerprints(
    index: CompiledIndex, *, engine: Engine | None = None
) -> dict[str, tuple[str, str, int]]:
    """entity id -> (dataset, fingerprint, snapshot id) for every entity of ``index``. A listed
    entity's fingerprint is its stored content hash; an ownership-derived one hashes what the
    index holds about it (so a change of the ownership path counts as a change)."""
    engine = engine or connect()
    by_snapshot: dict[int, dict[str, str]] = {}
    out: dict[str, tuple[str, str, int]] = {}
    for record in index.entities:
        fingerprint = None
        if not record.derived and record.snapshot_id:
            if record.snapshot_id not in by_snapshot:
                by_snapshot[record.snapshot_id] = entity_hashes(record.snapshot_id, engine=engine)
            fingerprint = by_snapshot[record.snapshot_id].get(record.id)
        if fingerprint is None:
            text = audit.canonical(
                [
                    record.id,
                    record.dataset,
                    record.caption,
                    record.schema,
                    list(record.programs),
                    sorted(record.countries),
                    list(record.birth_dates),
                    record.derived,
                ]
            )
            fingerprint = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        out[record.id] = (record.dataset, fingerprint, record.snapshot_id)
    return out


_fingerprint_cache: dict[int, tuple[CompiledIndex, dict[str, str]]] = {}


def cached_fingerprints(
    index: CompiledIndex | None = None, *, engine: Engine | None = None
) -> dict[str, str]:
    """entity id -> fingerprint for ``index`` (default: the current screening index), computed
    once per index object."""
    from proscribe.screen import get_index

    index = index or get_index()
    held = _fingerprint_cache.get(id(index))
    if held is None or held[0] is not index:
        _fingerprint_cache.clear()
        current = list_fingerprints(index, engine=engine)
        held = (index, {eid: fp for eid, (_ds, fp, _snap) in current.items()})
        _fingerprint_cache[id(index)] = held
    return held[1]


def _stored_state(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {
            eid: fp
            for eid, fp in conn.execute(
                select(monitor_list_state.c.entity_id, monitor_list_state.c.fingerprint)
            )
        }


def _save_state(conn, current: dict[str, tuple[str, str, int]], previous: dict[str, str]) -> None:
    removed = [eid for eid in previous if eid not in current]
    for start in range(0, len(removed), 1000):
        conn.execute(
            delete(monitor_list_state).where(
                monitor_list_state.c.entity_id.in_(removed[start : start + 1000])
            )
        )
    changed = [
        {"b_id": eid, "b_fp": fp, "b_snap": snap}
        for eid, (_ds, fp, snap) in current.items()
        if eid in previous and previous[eid] != fp
    ]
    if changed:
        conn.execute(
            update(monitor_list_state)
            .where(monitor_list_state.c.entity_id == bindparam("b_id"))
            .values(fingerprint=bindparam("b_fp"), snapshot_id=bindparam("b_snap")),
            changed,
        )
    added = [
        {"entity_id": eid, "dataset": ds, "fingerprint": fp, "snapshot_id": snap}
        for eid, (ds, fp, snap) in current.items()
        if eid not in previous
    ]
    for start in range(0, len(added), 5000):
        conn.execute(insert(monitor_list_state), added[start : start + 5000])


def _entity_query(entity: Entity) -> dict[str, Any]:
    props: dict[str, list[str]] = {}
    for prop in ("name", "alias", "previousName", "weakAlias", "birthDate", "country", "nationality"):
        values = entity.get(prop)
        if values:
            props[prop] = list(values)[:MAX_VALUES]
    for ident in entity.identifiers:
        prop = _TYPE_PROPERTY.get(ident.type) or IDENTIFIER_PROPS.get(ident.type) or "idNumber"
        values = props.setdefault(prop, [])
        if len(values) < MAX_VALUES and ident.value not in values:
            values.append(ident.value)
    schema = entity.schema if entity.schema in SCHEMATA else "LegalEntity"
    return {"id": entity.id, "schema": schema, "properties": props}


def _delta_queries(index: CompiledIndex, delta_ids: set[str], engine: Engine) -> list[dict[str, Any]]:
    """The changed list entries as screening queries: from the stored entity where there is one,
    else (ownership-derived) from the names the index holds."""
    positions = [i for i, record in enumerate(index.entities) if record.id in delta_ids]
    stored: dict[str, Entity] = {}
    by_snapshot: dict[int, list[str]] = {}
    for i in positions:
        record = index.entities[i]
        if not record.derived and record.snapshot_id:
            by_snapshot.setdefault(record.snapshot_id, []).append(record.id)
    with engine.connect() as conn:
        for snapshot_id, ids in by_snapshot.items():
            for start in range(0, len(ids), 500):
                rows = conn.execute(
                    select(entities.c.data).where(
                        entities.c.snapshot_id == snapshot_id,
                        entities.c.entity_id.in_(ids[start : start + 500]),
                    )
                )
                for (data,) in rows:
                    entity = Entity.from_dict(json.loads(data))
                    stored[entity.id] = entity
    names: dict[int, list[str]] = {}
    wanted = np.asarray(positions, dtype=np.int32)
    for form in np.nonzero(np.isin(index.form_entity, wanted))[0]:
        names.setdefault(int(index.form_entity[form]), []).append(index.form_text[form])
    queries = []
    for i in positions:
        record = index.entities[i]
        if record.id in stored:
            queries.append(_entity_query(stored[record.id]))
            continue
        props = {"name": list(dict.fromkeys(names.get(i, [])))[:MAX_VALUES]}
        if record.countries:
            props["country"] = sorted(record.countries)
        if record.birth_dates:
            props["birthDate"] = list(record.birth_dates)
        schema = record.schema if record.schema in SCHEMATA else "LegalEntity"
        queries.append({"id": record.id, "schema": schema, "properties": props})
    return queries


# -- the book index -----------------------------------------------------------------------------

#: A book index is rebuilt when more customers than this changed since it was compiled (the
#: ones that did are screened against every list change until then: see :func:`get_book_index`).
STALE_LIMIT = 1000
STALE_SHARE = 0.02

_book_cache: dict[str, CompiledIndex] = {}


def _book_state(engine: Engine, as_of: str | None = None) -> tuple[int, str, int]:
    """(active customers, newest update, customers updated up to ``as_of``)."""
    with engine.connect() as conn:
        count, newest = conn.execute(
            select(func.count(), func.max(book_customers.c.updated_at)).where(
                book_customers.c.active.is_(True)
            )
        ).one()
        upto = count
        if as_of is not None:
            upto = conn.execute(
                select(func.count()).where(
                    book_customers.c.active.is_(True), book_customers.c.updated_at <= as_of
                )
            ).scalar_one()
    return int(count or 0), newest or "", int(upto or 0)


def stale_customers(as_of: str, *, engine: Engine) -> list[str]:
    """Customers added or changed after the book index was compiled."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(book_customers.c.customer_id).where(
                book_customers.c.active.is_(True), book_customers.c.updated_at > as_of
            )
        )
        return [row[0] for row in rows]


def get_book_index(*, engine: Engine | None = None, rebuild: bool = False) -> CompiledIndex:
    """The book compiled for reverse screening: from memory, from disk, or built now.

    Compiling a large book takes minutes, so an index is kept while few customers changed since
    it was compiled (``as_of``): a monitoring run screens those against the whole list whenever
    the list changed (:func:`stale_customers`), which covers what the index misses. Past
    :data:`STALE_LIMIT` (or :data:`STALE_SHARE` of the book) it is compiled anew.
    """
    engine = engine or connect()
    key = hashlib.sha256(engine.url.render_as_string(hide_password=True).encode()).hexdigest()[:12]
    path = settings.index_dir() / f"book-{key}.npz"
    index = None if rebuild else _book_cache.get(key)
    if index is None and not rebuild:
        # Only a file whose sha256 this code recorded in the store is read, and the format cannot
        # run code (index/files.py); a planted, changed or damaged file is rebuilt with a warning.
        index = index_files.load_index(path, engine)
    if index is not None:
        meta = index.snapshots.get(book.BOOK_DATASET, {})
        count, _newest, upto = _book_state(engine, meta.get("as_of", ""))
        same_book = meta.get("count") == upto  # else another database's, or customers were removed
        if not same_book or count - upto > max(STALE_LIMIT, STALE_SHARE * count):
            index = None
    if index is None:
        count, newest, _ = _book_state(engine)  # read before the book: later changes count as stale
        index = book.build_book_index(engine=engine)
        index.snapshots[book.BOOK_DATASET].update(as_of=newest, count=len(index.entities))
        index_files.save_index(index, path, engine)
    _book_cache[key] = index
    return index


# -- screening in worker processes ---------------------------------------------------------------

_worker_state: dict[str, Any] = {}


def _forward(items: list[tuple[str, dict]]) -> list[tuple[str, dict | None, str | None]]:
    index = _worker_state["list_index"]
    out = []
    for customer_id, record in items:
        try:
            out.append((customer_id, screen(record, index=index), None))
        except QueryError as exc:
            out.append((customer_id, None, str(exc)))
    return out


def _reverse(queries: list[dict]) -> list[tuple[str, list[str]]]:
    from proscribe.match.config import load_config

    index = _worker_state["book_index"]
    cfg = load_config()
    cfg = replace(
        cfg,
        review=REVERSE_REVIEW,
        block=max(cfg.block, REVERSE_REVIEW),
        candidates=max(cfg.candidates, REVERSE_LIMIT),
        limit=REVERSE_LIMIT,
    )
    out = []
    for query in queries:
        try:
            parsed = parse_query(query, f"list entry {query['id']}")
        except QueryError:
            out.append((query["id"], []))
            continue
        result = screen(parsed, index=index, config=cfg, limit=REVERSE_LIMIT)
        out.append((query["id"], [item["source_id"] for item in result["results"]]))
    return out


def _map(func, items: list, pool, size: int):
    """``func`` over chunks of ``items``, in order: on ``pool`` (forked processes that inherit
    the indexes) or in this process."""
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    if pool is None or len(chunks) <= 1:
        for chunk in chunks:
            yield func(chunk)
        return
    yield from pool.imap(func, chunks)


# -- the run ------------------------------------------------------------------------------------


def _commit_chunk(
    engine: Engine,
    run_id: int,
    results,
    customers: dict[str, book.Customer],
    triggers: dict[str, str],
    fingerprints: dict[str, str],
    stats: MonitorStats,
    actor: str,
) -> None:
    stamp = now()
    events = []
    marks = []
    with engine.begin() as conn:
        for customer_id, result, error in results:
            customer = customers[customer_id]
            if error is not None:
                stats.errors += 1
                events.append(
                    ("screening.error", actor, {"run": run_id, "subject": customer_id, "error": error})
                )
                continue
            counts = alert_store.raise_alerts(
                conn,
                subject_kind="customer",
                subject_id=customer_id,
                subject_hash=customer.record_hash,
                result=result,
                fingerprints=fingerprints,
                trigger=triggers[customer_id],
                actor=actor,
            )
            stats.alerts_raised += counts["raised"]
            stats.alerts_existing += counts["existing"]
            stats.alerts_suppressed += counts["suppressed"]
            stats.goodguys_lapsed += counts["lapsed"]
            events.append(
                (
                    "screening",
                    actor,
                    {
                        "run": run_id,
                        "subject": customer_id,
                        "subject_hash": customer.record_hash,
                        "decision": result["decision"],
                        "trigger": triggers[customer_id],
                        "results": [[r["id"], r["score"], r.get("snapshot")] for r in result["results"]],
                    },
                )
            )
            marks.append({"b_id": customer_id, "b_hash": customer.record_hash, "b_at": stamp})
            stats.customers_screened += 1
            stats.screened_ids.append(customer_id)
        if marks:
            conn.execute(
                update(book_customers)
                .where(
                    book_customers.c.customer_id == bindparam("b_id"),
                    book_customers.c.record_hash == bindparam("b_hash"),
                )
                .values(screened_hash=bindparam("b_hash"), screened_at=bindparam("b_at")),
                marks,
            )
        audit.append_many(events, conn=conn)


class MonitorBusy(RuntimeError):
    """Another monitoring run is under way on this store."""


#: A run on another host that has not finished after this long is taken as dead.
STALE_RUN_HOURS = 24


def _alive(host: str | None, pid: int | None) -> bool | None:
    """Whether a run's process still lives: ``None`` when that cannot be told from here."""
    if host != socket.gethostname() or not pid:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _claim(engine: Engine, run_id: int) -> None:
    """One run at a time: an earlier run still under way wins (this one is refused); a run whose
    process is gone (killed) is marked abandoned, and its work is simply redone."""
    import datetime

    cutoff = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=STALE_RUN_HOURS)).isoformat()
    busy = None
    with engine.begin() as conn:
        others = conn.execute(
            select(monitor_runs).where(monitor_runs.c.status == "running", monitor_runs.c.id != run_id)
        ).all()
        for other in others:
            alive = _alive(other.host, other.pid)
            if alive is False or (alive is None and other.started_at < cutoff):
                conn.execute(
                    update(monitor_runs)
                    .where(monitor_runs.c.id == other.id)
                    .values(
                        status="abandoned",
                        finished_at=now(),
                        error="its process ended without finishing (killed?); later runs redo its work",
                    )
                )
            elif other.id < run_id:
                busy = other
        if busy is not None:
            conn.execute(
                update(monitor_runs)
                .where(monitor_runs.c.id == run_id)
                .values(status="refused", finished_at=now(), error=f"run {busy.id} was under way")
            )
    if busy is not None:
        raise MonitorBusy(
            f"monitoring run {busy.id} (started {busy.started_at} by process {busy.pid} on {busy.host}) is "
            f"still under way; try again when it has finished"
        )


def run(
    *,
    index: CompiledIndex | None = None,
    full: bool = False,
    workers: int = 1,
    actor: str = "system",
    chunk: int = CHUNK,
    engine: Engine | None = None,
    progress: Callable[[str], None] | None = None,
) -> MonitorStats:
    """One monitoring run (see the module docstring). ``full`` re-screens the whole book."""
    from proscribe.screen import get_index

    engine = engine or connect()
    workers = workers or os.cpu_count() or 1
    say = progress or (lambda message: None)
    started = time.perf_counter()
    stats = MonitorStats()
    index = index or get_index(refresh=True)
    audit.sync(actor=actor, engine=engine)  # list imports and configuration changes not yet recorded
    snapshots_used = {ds: summary.get("label") for ds, summary in index.snapshots.items()}
    with engine.begin() as conn:
        stats.run = conn.execute(
            insert(monitor_runs).values(
                started_at=now(),
                status="running",
                mode="full" if full else "delta",
                snapshots=json.dumps(snapshots_used),
                host=socket.gethostname(),
                pid=os.getpid(),
            )
        ).inserted_primary_key[0]
    _claim(engine, stats.run)
    try:
        _run(engine, index, stats, full=full, workers=workers, actor=actor, chunk=chunk, say=say)
    except BaseException as exc:
        with engine.begin() as conn:
            conn.execute(
                update(monitor_runs)
                .where(monitor_runs.c.id == stats.run)
                .values(
                    status="failed",
                    finished_at=now(),
                    error=f"{type(exc).__name__}: {exc}",
                    stats=json.dumps(stats.to_dict()),
                )
            )
        raise
    stats.seconds["total"] = round(time.perf_counter() - started, 3)
    with engine.begin() as conn:
        conn.execute(
            update(monitor_runs)
            .where(monitor_runs.c.id == stats.run)
            .values(status="completed", finished_at=now(), mode=stats.mode, stats=json.dumps(stats.to_dict()))
        )
        audit.append(
            "monitor.run",
            actor,
            {"run": stats.run, "snapshots": snapshots_used, **stats.to_dict()},
            conn=conn,
        )
    return stats


def _run(
    engine: Engine,
    index: CompiledIndex,
    stats: MonitorStats,
    *,
    full: bool,
    workers: int,
    actor: str,
    chunk: int,
    say: Callable[[str], None],
) -> None:
    clock = time.perf_counter()
    current = list_fingerprints(index, engine=engine)
    previous = _stored_state(engine)
    fingerprints = {eid: fp for eid, (_ds, fp, _snap) in current.items()}
    stats.list_entities = len(current)
    stats.book_size = book.count_customers(engine=engine)
    added = {eid for eid in current if eid not in previous}
    changed = {eid for eid, fp in fingerprints.items() if eid in previous and previous[eid] != fp}
    stats.list_added, stats.list_changed = len(added), len(changed)
    stats.list_removed = sum(1 for eid in previous if eid not in current)
    stats.seconds["list_delta"] = round(time.perf_counter() - clock, 3)
    if not previous:
        full = True
    stats.mode = "full" if full else "delta"
    _worker_state["list_index"] = index

    triggers: dict[str, str] = {}
    delta = added | changed
    if not full and delta and stats.book_size:
        clock = time.perf_counter()
        _worker_state["book_index"] = get_book_index(engine=engine)
        stats.seconds["book_index"] = round(time.perf_counter() - clock, 3)
    pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else None
    try:
        _screen_book(
            engine,
            index,
            stats,
            pool,
            full=full,
            added=added,
            changed=changed,
            triggers=triggers,
            fingerprints=fingerprints,
            actor=actor,
            chunk=chunk,
            say=say,
        )
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    with engine.begin() as conn:
        _save_state(conn, current, previous)


def _screen_book(
    engine: Engine,
    index: CompiledIndex,
    stats: MonitorStats,
    pool,
    *,
    full: bool,
    added: set[str],
    changed: set[str],
    triggers: dict[str, str],
    fingerprints: dict[str, str],
    actor: str,
    chunk: int,
    say: Callable[[str], None],
) -> None:
    delta = added | changed
    if full:
        say(f"full screening of {stats.book_size:,} customers")
        todo_ids = None
    else:
        clock = time.perf_counter()
        changed_customers = [c.customer_id for c in book.iter_customers(only_unscreened=True, engine=engine)]
        stats.customers_changed = len(changed_customers)
        for cid in changed_customers:
            triggers[cid] = "customer record new or changed since its last screening"
        candidates: dict[str, list[str]] = {}
        if delta and stats.book_size:
            as_of = _worker_state["book_index"].snapshots[book.BOOK_DATASET]["as_of"]
            stale = stale_customers(as_of, engine=engine)
            stats.customers_stale = len(stale)
            for cid in stale:
                triggers.setdefault(cid, "customer record changed after the book index was compiled")
            changed_customers = sorted(set(changed_customers) | set(stale))
            say(
                f"{len(added):,} list entries added, {len(changed):,} changed: screening them against the book"
            )
            queries = _delta_queries(index, delta, engine)
            stats.reverse_queries = len(queries)
            for results in _map(_reverse, queries, pool, 250):
                for entity_id, customer_ids in results:
                    for cid in customer_ids:
                        candidates.setdefault(cid, []).append(entity_id)
        stats.reverse_candidates = len(candidates)
        for cid, entity_ids in candidates.items():
            kinds = ["added" if eid in added else "changed" for eid in entity_ids]
            what = "; ".join(
                f"list entry {eid} {kind}" for eid, kind in list(zip(entity_ids, kinds, strict=True))[:5]
            )
            triggers.setdefault(cid, what)
        todo_ids = sorted(set(changed_customers) | set(candidates))
        stats.seconds["select"] = round(time.perf_counter() - clock, 3)

    clock = time.perf_counter()
    committed = 0
    pending: list[book.Customer] = []

    def flush(batch: list[book.Customer]) -> None:
        nonlocal committed
        customers = {c.customer_id: c for c in batch}
        items = [(c.customer_id, c.record) for c in batch]
        results = [row for part in _map(_forward, items, pool, 100) for row in part]
        _commit_chunk(engine, stats.run, results, customers, triggers, fingerprints, stats, actor)
        committed += 1
        if crash_hook is not None:
            crash_hook(committed)

    source = (
        book.iter_customers(engine=engine)
        if todo_ids is None
        else book.iter_customers(ids=todo_ids, engine=engine)
    )
    for customer in source:
        if todo_ids is None:
            triggers.setdefault(customer.customer_id, "full screening of the book")
        pending.append(customer)
        if len(pending) >= chunk:
            flush(pending)
            pending = []
    if pending:
        flush(pending)
    stats.seconds["screening"] = round(time.perf_counter() - clock, 3)
