"""The screening record, written in batches before any response is sent.

Each request hands its rows to :class:`RecordWriter` and waits for the commit: one background
thread takes everything queued (up to ``batch`` rows), writes it in one transaction and then
releases the waiting requests. While a transaction commits, the next batch fills, so at high
load many requests share one commit (group commit) and at low load a request waits only for
its own. A response is sent only after its rows are committed; if the write fails the request
fails too (503), so no screening is ever answered without its record.
"""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import itertools
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

import orjson
from sqlalchemy import Engine, insert, select

from proscribe import audit
from proscribe.store.service_tables import screenings

log = logging.getLogger("proscribe.api.records")


class RecordWriteError(RuntimeError):
    """The screening record could not be written; the screening is not answered."""


_PROCESS = os.urandom(5).hex()
_counter = itertools.count()


def new_id() -> str:
    """Time-ordered and unique across processes: 12 hex digits of milliseconds, 10 random hex
    digits drawn once per process, then a 10-hex-digit counter."""
    return f"{int(time.time() * 1000):012x}{_PROCESS}{next(_counter) & 0xFFFFFFFFFF:010x}"


def now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds")


def make_row(
    *,
    record_id: str,
    key_id: str | None,
    created_at: str,
    query: Any,
    snapshot_ids: dict,
    results: list,
    decision: str,
    engine_version: str,
) -> dict:
    return {
        "id": record_id,
        "key_id": key_id,
        "created_at": created_at,
        "query": orjson.dumps(query).decode(),
        "snapshot_ids": orjson.dumps(snapshot_ids).decode(),
        "results": orjson.dumps(results).decode(),
        "decision": decision,
        "engine_version": engine_version,
    }


def _audit_event(row: dict) -> tuple[str, str, dict]:
    digest = hashlib.sha256("|".join(str(row[k]) for k in sorted(row)).encode()).hexdigest()
    return (
        "screening",
        f"api-key:{row['key_id']}" if row["key_id"] else "api:no-auth",
        {"screening_id": row["id"], "decision": row["decision"], "record_sha256": digest,
         "engine_version": row["engine_version"]},
    )


_STOP = object()


class RecordWriter:
    def __init__(self, engine_getter: Callable[[], Engine], *, batch: int = 500, linger_ms: float = 2.0):
        self._engine = engine_getter
        self.batch = batch
        self.linger = linger_ms / 1000.0
        self._queue: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self.written = 0
        self.transactions = 0
        self.commit_seconds: list[float] = []

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="screening-records", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Flush everything queued, then stop (and log what was written)."""
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join(timeout)
            self._thread = None
            if self.commit_seconds:
                ordered = sorted(self.commit_seconds)
                log.warning(
                    "screening records: %d rows in %d transactions; commit p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                    self.written,
                    self.transactions,
                    ordered[len(ordered) // 2] * 1000,
                    ordered[int(len(ordered) * 0.99)] * 1000,
                    ordered[-1] * 1000,
                )

    async def write(self, rows: list[dict]) -> None:
        """Queue ``rows`` and return once they are committed (raises :class:`RecordWriteError`)."""
        if self._thread is None:
            raise RecordWriteError("the screening record writer is not running")
        loop = asyncio.get_running_loop()
        future = loop.create_future()

        def done(error: BaseException | None) -> None:
            def settle() -> None:
                if future.done():
                    return
                if error is None:
                    future.set_result(None)
                else:
                    future.set_exception(RecordWriteError(str(error)))

            loop.call_soon_threadsafe(settle)

        self._queue.put((rows, done))
        await future

    def write_sync(self, rows: list[dict]) -> None:
        event = threading.Event()
        errors: list[BaseException] = []

        def done(error: BaseException | None) -> None:
            if error is not None:
                errors.append(error)
            event.set()

        self._queue.put((rows, done))
        event.wait()
        if errors:
            raise RecordWriteError(str(errors[0]))

    def _run(self) -> None:
        stopping = False
        while not stopping:
            item = self._queue.get()
            if item is _STOP:
                break
            pending = [item]
            count = len(item[0])
            deadline = time.monotonic() + self.linger
            while count < self.batch:
                timeout = deadline - time.monotonic()
                try:
                    nxt = self._queue.get(timeout=timeout) if timeout > 0 else self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is _STOP:
                    stopping = True
                    break
                pending.append(nxt)
                count += len(nxt[0])
            self._flush(pending)
        # drain whatever arrived with or after the stop signal
        rest = []
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not _STOP:
                rest.append(item)
        if rest:
            self._flush(rest)

    def _flush(self, pending: list) -> None:
        rows = [row for item in pending for row in item[0]]
        error: BaseException | None = None
        began = time.perf_counter()
        for attempt in range(5):
            try:
                with self._engine().begin() as conn:
                    conn.execute(insert(screenings), rows)
                    # the audit trail proves each record: its digest, chained, in the same commit
                    audit.append_many((_audit_event(row) for row in rows), conn=conn)
                error = None
                break
            except Exception as exc:  # a locked SQLite file: retry briefly, then fail the requests
                error = exc
                time.sleep(0.05 * (attempt + 1))
        if error is None:
            self.written += len(rows)
            self.transactions += 1
            if len(self.commit_seconds) < 1_000_000:
                self.commit_seconds.append(time.perf_counter() - began)
        else:
            log.error("screening record write failed for %d rows: %s", len(rows), error)
        for _, done in pending:
            done(error)


def load_screening(record_id: str, engine: Engine) -> dict | None:
    with engine.connect() as conn:
        row = conn.execute(select(screenings).where(screenings.c.id == record_id)).first()
    return _row(row) if row else None


def _row(row) -> dict:
    data = {str(k): v for k, v in row._mapping.items()}
    for key in ("query", "snapshot_ids", "results"):
        data[key] = orjson.loads(data[key])
    return data


def export_screenings(engine: Engine, since: str | None = None, chunk: int = 1000):
    """Every record created at or after ``since`` (ISO date or timestamp), oldest first."""
    last: tuple[str, str] | None = None
    while True:
        query = select(screenings).order_by(screenings.c.created_at, screenings.c.id).limit(chunk)
        if since:
            query = query.where(screenings.c.created_at >= since)
        if last is not None:
            query = query.where(
                (screenings.c.created_at > last[0])
                | ((screenings.c.created_at == last[0]) & (screenings.c.id > last[1]))
            )
        with engine.connect() as conn:
            rows = list(conn.execute(query))
        if not rows:
            return
        for row in rows:
            yield _row(row)
        last = (rows[-1].created_at, rows[-1].id)
