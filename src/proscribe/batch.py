"""Batch screening of a file of queries (JSON lines or CSV), in input order, on all cores.

Every input line gives exactly one output line: a line that cannot be read or screened gives
``{"line": N, "decision": "error", "error": "..."}`` and the rest of the batch completes.
Workers (``--workers``) are separate processes, each loading the persisted index once.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from proscribe.screen import QueryError, parse_query, screen

#: CSV columns that are not FtM properties.
CSV_META = ("id", "schema")


def read_queries(path: Path, fmt: str | None = None) -> Iterator[tuple[int, Any]]:
    """Yield (line number, query dict or an error string) for every record of the input."""
    fmt = fmt or ("csv" if path.suffix.lower() == ".csv" else "jsonl")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        if fmt == "csv":
            yield from _read_csv(handle)
        else:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, f"line {number}: invalid JSON: {exc.msg} at column {exc.colno}"


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


_worker_kwargs: dict[str, Any] = {}


def _init_worker(kwargs: dict[str, Any]) -> None:
    global _worker_kwargs
    _worker_kwargs = kwargs
    from proscribe.screen import get_index

    get_index()


def screen_record(item: tuple[int, Any], kwargs: dict[str, Any] | None = None) -> dict[str, Any]:
    number, data = item
    kwargs = kwargs if kwargs is not None else _worker_kwargs
    if isinstance(data, str):
        return {"id": None, "line": number, "decision": "error", "error": data, "results": []}
    try:
        query = parse_query(data, position=f"line {number}")
        return screen(query, **kwargs)
    except QueryError as exc:
        qid = data.get("id") if isinstance(data, dict) else None
        return {"id": qid, "line": number, "decision": "error", "error": str(exc), "results": []}


def _chunk(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _screen_chunk(chunk: list[tuple[int, Any]]) -> list[dict[str, Any]]:
    return [screen_record(item) for item in chunk]


def screen_file(path: Path, *, fmt: str | None = None, workers: int = 1, progress=None,
                **kwargs) -> Iterator[dict[str, Any]]:
    """Screen every record of ``path`` in order; ``progress(n)`` is called as records finish."""
    items = list(read_queries(path, fmt))
    if workers <= 1 or len(items) < 200:
        from proscribe.screen import get_index

        get_index()
        for item in items:
            yield screen_record(item, kwargs)
            if progress:
                progress(1)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(kwargs,)) as pool:
        for results in pool.map(_screen_chunk, _chunk(items, 100)):
            yield from results
            if progress:
                progress(len(results))


def count_records(path: Path, fmt: str | None = None) -> int:
    return sum(1 for _ in read_queries(path, fmt))


def to_csv_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Flatten a result to CSV rows: one per matched entity (or one row for a clear/error)."""
    base = {"query_id": result.get("id"), "decision": result["decision"], "error": result.get("error", "")}
    if not result.get("results"):
        return [base | {"rank": "", "entity_id": "", "dataset": "", "source_id": "", "caption": "",
                        "score": "", "match": "", "matched_name": "", "programs": ""}]
    rows = []
    for rank, item in enumerate(result["results"], start=1):
        rows.append(base | {"rank": rank, "entity_id": item["id"], "dataset": item["dataset"],
                            "source_id": item["source_id"], "caption": item["caption"], "score": item["score"],
                            "match": item["match"], "matched_name": item.get("matched_name") or "",
                            "programs": ";".join(item.get("programs", []))})
    return rows
