"""Batch screening of a file of queries (JSON lines or CSV), in input order, on all cores.

Every input line gives exactly one output line: a line that cannot be read or screened gives
``{"line": N, "decision": "error", "error": "..."}`` and the rest of the batch completes.

Workers are separate processes. On Linux they are forked after the parent has loaded the index,
so each starts with the index already in memory (shared copy-on-write pages, nothing loaded
again); elsewhere each worker loads the persisted index once, at start. Why the work is split the
way it is (measured on the 50,000-name benchmark, ``bench/screen_cli_bench.py``):

- the parent reads the JSON lines as text and the workers decode them, so decoding runs on every
  core and what crosses the process boundary is a short string;
- a worker renders each result itself (the output line, JSON or CSV, and the screening record the
  audit trail keeps) and sends back strings and a small record: pickling the full result dicts
  cost the parent more than writing them;
- chunks are submitted in order with a bounded number in flight and collected in the same order,
  so output order is input order and memory stays bounded;
- a worker that dies (killed, out of memory, a crash in native code) fails closed: every line not
  yet written gets an error record saying it was not screened, and the run reports errors.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from proscribe.csvsafe import SafeDictWriter
from proscribe.screen import QueryError, list_results, parse_query, screen

#: CSV columns that are not FtM properties.
CSV_META = ("id", "schema")

#: Columns of the CSV output, one row per matched entity (one row for a clear or an error).
CSV_FIELDS = (
    "query_id",
    "decision",
    "error",
    "rank",
    "entity_id",
    "dataset",
    "source_id",
    "caption",
    "score",
    "match",
    "matched_name",
    "programs",
)

#: Below this many records a batch is screened in the calling process: starting workers would
#: cost more than it saves.
MIN_PARALLEL = 200

#: Records per chunk sent to a worker, at most (a chunk is 0.1-0.3 s of work: small enough to
#: balance the cores at the end of a run, large enough that inter-process traffic stays small).
MAX_CHUNK = 200

#: An input record: line number, then ("json", raw text) | ("record", dict) | ("error", message).
Item = tuple[int, str, Any]


def default_workers() -> int:
    """All cores this process may run on (its CPU affinity where the platform has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


# -- reading ----------------------------------------------------------------------------------------


def read_items(path: Path, fmt: str | None = None) -> Iterator[Item]:
    """Every record of the input, undecoded for JSON lines (the workers decode them)."""
    fmt = fmt or ("csv" if path.suffix.lower() == ".csv" else "jsonl")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        if fmt == "csv":
            for number, data in _read_csv(handle):
                yield (number, "error", data) if isinstance(data, str) else (number, "record", data)
        else:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield number, "json", line


def _decode(item: Item) -> tuple[int, Any]:
    """(line number, query dict or an error string)."""
    number, kind, payload = item
    if kind != "json":
        return number, payload
    try:
        return number, json.loads(payload)
    except json.JSONDecodeError as exc:
        return number, f"line {number}: invalid JSON: {exc.msg} at column {exc.colno}"


def read_queries(path: Path, fmt: str | None = None) -> Iterator[tuple[int, Any]]:
    """Yield (line number, query dict or an error string) for every record of the input."""
    for item in read_items(path, fmt):
        yield _decode(item)


def _read_csv(handle: io.TextIOBase) -> Iterator[tuple[int, Any]]:
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        return
    header = [h.strip() for h in header]
    for row in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield number, f"line {number}: expected {len(header)} columns, found {len(row)}"
            continue
        record: dict[str, Any] = {"properties": {}}
        for key, value in zip(header, row):
            value = value.strip()
            if key in CSV_META:
                if value:
                    record[key] = value
            elif value:
                record["properties"][key] = [v.strip() for v in value.split(";") if v.strip()]
        yield number, record


def count_records(path: Path, fmt: str | None = None) -> int:
    return sum(1 for _ in read_items(path, fmt))


# -- screening one record -----------------------------------------------------------------------------


def error_result(number: int, message: str, qid: Any = None) -> dict[str, Any]:
    return {"id": qid, "line": number, "decision": "error", "error": message, "results": []}


def screen_record(item: tuple[int, Any], kwargs: dict[str, Any] | None = None) -> dict[str, Any]:
    number, data = item
    kwargs = kwargs if kwargs is not None else _worker_options.screen_kwargs
    if isinstance(data, str):
        return error_result(number, data)
    try:
        query = parse_query(data, position=f"line {number}")
        return screen(query, **kwargs)
    except QueryError as exc:
        qid = data.get("id") if isinstance(data, dict) else None
        return error_result(number, str(exc), qid)


def screening_record(result: dict[str, Any], source: Path | str) -> dict[str, Any]:
    """What the audit trail keeps of one screening: enough to prove what was decided and why."""
    return {
        "query_id": result.get("id"),
        "source": str(source),
        "line": result.get("line"),
        "decision": result["decision"],
        "error": result.get("error"),
        "results": [
            {"id": r["id"], "score": r["score"], "match": r["match"], "snapshot": r.get("snapshot")}
            for r in result.get("results", [])
        ],
    }


@dataclass(frozen=True)
class Options:
    """What a worker needs to screen and render a record (sent to each worker once).

    ``render``: ``"dict"`` returns the result itself; ``"jsonl"`` and ``"csv"`` return the output
    text of the record (after the caller's ``threshold`` filter) and its screening record (from
    the full outcome, before that filter)."""

    screen_kwargs: dict[str, Any]
    render: str = "dict"
    threshold: float | None = None
    source: str = ""


@dataclass(frozen=True)
class Outcome:
    """One screened record as the batch hands it back, in input order."""

    line: int
    decision: str
    text: str | None = None  # the output line(s), for the jsonl and csv renderings
    record: dict[str, Any] | None = None  # the screening record, for the jsonl and csv renderings
    result: dict[str, Any] | None = None  # the full result, for the dict rendering


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def to_csv_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Flatten a result to CSV rows: one per matched entity (or one row for a clear/error)."""
    base = {"query_id": result.get("id"), "decision": result["decision"], "error": result.get("error", "")}
    if not result.get("results"):
        return [
            base
            | {
                "rank": "",
                "entity_id": "",
                "dataset": "",
                "source_id": "",
                "caption": "",
                "score": "",
                "match": "",
                "matched_name": "",
                "programs": "",
            }
        ]
    rows = []
    for rank, item in enumerate(result["results"], start=1):
        rows.append(
            base
            | {
                "rank": rank,
                "entity_id": item["id"],
                "dataset": item["dataset"],
                "source_id": item["source_id"],
                "caption": item["caption"],
                "score": item["score"],
                "match": item["match"],
                "matched_name": item.get("matched_name") or "",
                "programs": ";".join(item.get("programs", [])),
            }
        )
    return rows


def csv_header() -> str:
    """The header line of the CSV output, escaped like every other cell."""
    buffer = io.StringIO()
    SafeDictWriter(buffer, fieldnames=list(CSV_FIELDS), numeric={"score"}).writeheader()
    return buffer.getvalue()


def render(number: int, result: dict[str, Any], options: Options) -> Outcome:
    if options.render == "dict":
        return Outcome(number, result["decision"], result=result)
    record = screening_record(result, options.source)
    shown = list_results(result, options.threshold)
    if options.render == "jsonl":
        text = _ENCODE(shown) + "\n"
    else:
        buffer = io.StringIO()
        writer = SafeDictWriter(buffer, fieldnames=list(CSV_FIELDS), numeric={"score"})
        writer.writerows(to_csv_rows(shown))
        text = buffer.getvalue()
    return Outcome(number, result["decision"], text=text, record=record)


def process(item: Item, options: Options) -> Outcome:
    """Decode, screen and render one record. Never raises: an unexpected failure is an error
    record for its line (the run then exits with errors), never a lost line."""
    number, data = _decode(item)
    try:
        result = screen_record((number, data), options.screen_kwargs)
    except Exception as exc:  # noqa: BLE001 - fail closed for this line, keep the batch going
        qid = data.get("id") if isinstance(data, dict) else None
        result = error_result(
            number, f"line {number}: not screened: internal error ({type(exc).__name__}: {exc})", qid
        )
    return render(number, result, options)


# -- workers ----------------------------------------------------------------------------------------

_worker_options = Options(screen_kwargs={})


def _init_worker(options: Options) -> None:
    global _worker_options
    _worker_options = options
    from proscribe.screen import get_index

    get_index()  # forked: the parent's index, already in memory; spawned: loaded once, here


def _process_chunk(chunk: list[Item]) -> list[Outcome]:
    return [process(item, _worker_options) for item in chunk]


def _ready() -> int:
    return os.getpid()


def chunk_size(total: int, workers: int) -> int:
    """About 16 chunks per worker, at most :data:`MAX_CHUNK` records each."""
    return max(1, min(MAX_CHUNK, -(-total // (workers * 16))))


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _context():
    """Fork where it exists (workers inherit the loaded index); the platform default elsewhere."""
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _crashed(chunk: list[Item], exc: BaseException, options: Options) -> list[Outcome]:
    message = (
        f"not screened: a worker process ended unexpectedly ({type(exc).__name__}: {exc}); "
        "screen this line again"
    )
    out = []
    for number, kind, payload in chunk:
        data = _decode((number, kind, payload))[1]
        qid = data.get("id") if isinstance(data, dict) else None
        out.append(render(number, error_result(number, f"line {number}: {message}", qid), options))
    return out


class Batch:
    """Screens items in order, in this process or on ``workers`` processes.

    Use as a context manager: entering starts the workers (before any progress display starts
    threads in the parent), :meth:`run` yields one :class:`Outcome` per item, in input order."""

    def __init__(self, options: Options, workers: int, total: int):
        self.options = options
        self.workers = max(1, workers)
        self.total = total
        self.parallel = self.workers > 1 and total >= MIN_PARALLEL
        self.pool: ProcessPoolExecutor | None = None

    @property
    def processes(self) -> int:
        """How many processes screen: the workers, or this process alone."""
        return self.workers if self.parallel else 1

    def __enter__(self) -> Batch:
        from proscribe.screen import get_index

        get_index()  # loaded before any fork, so that every worker inherits it
        if self.parallel:
            self.pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=_context(),
                initializer=_init_worker,
                initargs=(self.options,),
            )
            self.pool.submit(_ready).result()  # start the workers now
        return self

    def __exit__(self, *exc_info) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def run(self, items: Iterable[Item], progress: Callable[[int], None] | None = None) -> Iterator[Outcome]:
        if self.pool is None:
            for item in items:
                yield process(item, self.options)
                if progress:
                    progress(1)
            return
        size = chunk_size(self.total, self.workers)
        in_flight: deque[tuple[list[Item], Future | None]] = deque()
        broken: BaseException | None = None
        chunks = _chunks(items, size)
        while True:
            while broken is None and len(in_flight) < self.workers * 3:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                try:
                    in_flight.append((chunk, self.pool.submit(_process_chunk, chunk)))
                except Exception as exc:  # noqa: BLE001 - the pool broke before this submit
                    broken = exc
                    in_flight.append((chunk, None))
            if not in_flight:
                break
            chunk, future = in_flight.popleft()
            outcomes = None
            if future is not None:
                try:
                    outcomes = future.result()  # a chunk finished before a crash is kept
                except Exception as exc:  # noqa: BLE001 - a dead worker: fail closed, below
                    broken = broken or exc
            if outcomes is None:
                outcomes = _crashed(chunk, broken, self.options)
            yield from outcomes
            if progress:
                progress(len(outcomes))
        if broken is not None:  # the remaining records were never sent: each one an error line
            for chunk in chunks:
                yield from _crashed(chunk, broken, self.options)
                if progress:
                    progress(len(chunk))


def screen_file(
    path: Path, *, fmt: str | None = None, workers: int = 1, progress=None, **kwargs
) -> Iterator[dict[str, Any]]:
    """Screen every record of ``path`` in order; ``progress(n)`` is called as records finish."""
    items = list(read_items(path, fmt))
    with Batch(Options(screen_kwargs=kwargs), workers, len(items)) as batch:
        for outcome in batch.run(items, progress):
            yield outcome.result
