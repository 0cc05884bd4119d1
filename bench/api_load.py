"""Load benchmark of the screening service on loopback.

    .venv/bin/python bench/api_load.py [--rate 1000] [--duration 30] [--workers 2] [--reload-every 10]

Starts ``proscribe serve`` (``--workers`` processes, authentication on, the screening record on)
against an isolated PROSCRIBE_HOME (``bench/out/api-home``, loaded with the bundled lists on
first use), creates a screener and an admin key with ``proscribe keys create``, then drives
``POST /v1/screen`` with single queries at a constant arrival rate (open loop: each request has
a scheduled send time and its latency is counted from that time, so a stalled server cannot
hide its queueing) over ``--connections`` keep-alive connections, for ``--duration`` seconds.

The client is a minimal HTTP/1.1 client on asyncio streams so that it costs the 2-core machine
as little CPU as possible. With ``--reload-every N`` an admin key POSTs
``/v1/admin/reload?force=true`` every N seconds during the run (the index is read anew from disk
and swapped). Afterwards every screening id the service returned is looked up in the store:
``missing records`` counts those not found.

Queries: ``bench/out/speed_workload.jsonl`` (the seeded speed workload) when present, else a
small built-in mix. Output: a table on stdout, ``bench/out/api_load.json`` and, with
``--write-md``, the ``## Screening service`` section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import pwd
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import orjson

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
PROSCRIBE = ROOT / ".venv" / "bin" / "proscribe"
SECTION = "## Screening service"

FALLBACK = [
    {"schema": "Company", "properties": {"name": ["Yongxin Zhicheng"], "country": ["cn"]}},
    {"schema": "Person", "properties": {"name": ["John Smith"], "birthDate": ["1970-01-01"]}},
    {"schema": "Company", "properties": {"name": ["Acme Trading Limited"], "country": ["gb"]}},
    {"schema": "Person", "properties": {"name": ["Arkady Rotenberg"]}},
    {"schema": "Company", "properties": {"name": ["Integrity Technology Group"]}},
    {"schema": "Person", "properties": {"name": ["Maria Gonzalez"], "nationality": ["es"]}},
]


def load_queries(limit: int, mix: str = "workload") -> list[dict]:
    path = OUT / "speed_workload.jsonl"
    queries = []
    if mix == "workload" and path.exists():
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                data = json.loads(line)
                queries.append({k: v for k, v in data.items() if not k.startswith("_")})
                if len(queries) >= limit:
                    break
    return queries or FALLBACK


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Connection:
    """One keep-alive HTTP/1.1 connection: send a request, read one response."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Length: {len(body)}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        self.writer.write(head.encode() + body)
        try:
            raw = await self.reader.readuntil(b"\r\n\r\n")
            lines = raw.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ")[1])
            length = 0
            close = False
            for line in lines[1:]:
                name, _, value = line.partition(":")
                name = name.strip().lower()
                if name == "content-length":
                    length = int(value)
                elif name == "connection" and value.strip().lower() == "close":
                    close = True
            data = await self.reader.readexactly(length)
        except (asyncio.IncompleteReadError, ConnectionError):
            self.close()
            raise
        if close:
            self.close()
        return status, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def drive(args, port: int, screener: str, admin: str, queries: list[dict]) -> dict:
    bodies = [orjson.dumps(q) for q in queries]
    rng = random.Random(7)
    order = [rng.randrange(len(bodies)) for _ in range(int(args.rate * args.duration) + 1)]
    headers = {"Authorization": f"ApiKey {screener}", "Content-Type": "application/json"}
    total = len(order)
    interval = 1.0 / args.rate
    latencies: list[float] = []
    errors: dict[str, int] = {}
    ids: list[str] = []
    next_index = 0
    reloads: list[dict] = []
    start = time.perf_counter() + 0.2

    async def worker():
        nonlocal next_index
        conn = Connection("127.0.0.1", port)
        while True:
            n = next_index
            if n >= total:
                break
            next_index += 1
            scheduled = start + n * interval
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                status, data = await conn.request("POST", "/v1/screen", bodies[order[n]], headers)
            except Exception as exc:  # counted, never hidden
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                continue
            latencies.append(time.perf_counter() - scheduled)
            if status != 200:
                errors[str(status)] = errors.get(str(status), 0) + 1
                continue
            match = re.search(rb'"screening_id":"([0-9a-f]+)"', data)
            if match:
                ids.append(match.group(1).decode())
            else:
                errors["no screening_id"] = errors.get("no screening_id", 0) + 1
        conn.close()

    async def reloader():
        n = 1
        while True:
            target = start + n * args.reload_every
            if target > start + args.duration - 1:
                break
            await asyncio.sleep(max(0.0, target - time.perf_counter()))
            began = time.perf_counter()
            conn = Connection("127.0.0.1", port)  # a fresh connection: an idle one may have been closed
            status, data = await conn.request(
                "POST", "/v1/admin/reload?force=true", b"", {"Authorization": f"ApiKey {admin}"}
            )
            conn.close()
            reloads.append(
                {
                    "status": status,
                    "seconds": round(time.perf_counter() - began, 3),
                    "reloaded": orjson.loads(data).get("reloaded") if status == 200 else None,
                }
            )
            n += 1

    tasks = [asyncio.create_task(worker()) for _ in range(args.connections)]
    if args.reload_every:
        tasks.append(asyncio.create_task(reloader()))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    return {
        "sent": total,
        "latencies": latencies,
        "errors": errors,
        "ids": ids,
        "elapsed": elapsed,
        "reloads": reloads,
    }


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        pending.extend(int(child) for child in children)
    return total


def missing_records(home: Path, ids: list[str]) -> int:
    conn = sqlite3.connect(home / "proscribe.db")
    try:
        found = set()
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            marks = ",".join("?" * len(chunk))
            found.update(
                row[0] for row in conn.execute(f"SELECT id FROM screenings WHERE id IN ({marks})", chunk)
            )
    finally:
        conn.close()
    return len(set(ids) - found)


def run(args) -> dict:
    load_before = [round(x, 2) for x in os.getloadavg()]  # other work on the machine skews every figure
    home = Path(args.home).resolve()
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PROSCRIBE_HOME": str(home)}
    env.pop("PROSCRIBE_DATABASE_URL", None)
    mapping = home / "os_users.toml"  # the CLI mints keys as an authenticated admin
    if not mapping.exists():
        mapping.write_text(f'[os_users]\n"{pwd.getpwuid(os.getuid()).pw_name}" = {{ user = "bench admin", role = "admin" }}\n')
        mapping.chmod(0o600)

    def key(role: str) -> str:
        out = subprocess.run(
            [
                str(PROSCRIBE),
                "keys",
                "create",
                "--role",
                role,
                "--name",
                f"bench {role}",
                "--rate-limit",
                "100000",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip().splitlines()[-1]

    # The first CLI call loads the bundled lists into a fresh home (the store, then the index in serve).
    subprocess.run([str(PROSCRIBE), "lists", "list"], env=env, capture_output=True, check=True)
    screener, admin = key("screener"), key("admin")
    port = free_port()
    log = open(OUT / "api_load_server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [str(PROSCRIBE), "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.time() + 300
        import urllib.request

        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
                    if response.status == 200:
                        break
            except Exception:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise SystemExit("the service did not become ready; see bench/out/api_load_server.log")
            time.sleep(0.3)
        time.sleep(2 * args.workers)  # every worker loads its index; readyz answered from one of them
        queries = load_queries(args.queries, args.mix)
        # warm-up at a low rate, untimed
        warm = argparse.Namespace(
            **{**vars(args), "rate": min(200.0, args.rate), "duration": 3, "reload_every": 0}
        )
        asyncio.run(drive(warm, port, screener, admin, queries))
        cpu_before = _tree_cpu_seconds(server.pid)
        result = asyncio.run(drive(args, port, screener, admin, queries))
        cpu_used = _tree_cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        try:
            server.wait(60)  # the service flushes its record writer on shutdown
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    latencies = result["latencies"]
    ok = len(result["ids"])
    summary = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "workers": args.workers,
        "connections": args.connections,
        "target_rate": args.rate,
        "duration_s": args.duration,
        "sent": result["sent"],
        "ok": ok,
        "errors": result["errors"],
        "achieved_rps": round(ok / result["elapsed"], 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
        "p90_ms": round(percentile(latencies, 0.90) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "max_ms": round(max(latencies) * 1000, 2) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2) if latencies else None,
        "server_cpu_ms_per_request": round(cpu_used * 1000 / max(1, result["sent"]), 3),
        "reload_every_s": args.reload_every,
        "reloads": result["reloads"],
        "missing_records": missing_records(home, result["ids"]),
        "queries": f"{len(queries)} from bench/out/speed_workload.jsonl"
        if args.mix == "workload" and (OUT / "speed_workload.jsonl").exists()
        else "built-in mix",
    }
    return summary


def _install_uvloop() -> None:
    try:  # the cheaper event loop when it is installed (uvicorn[standard] brings it)
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    except ImportError:
        pass


def write_markdown(runs: list[dict]) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    lines = [
        SECTION,
        "",
        "Command: `.venv/bin/python bench/api_load.py --rate 1000 --duration 30 --workers 2 --write-md` (runs the "
        "steady-state case, then the same with `--reload-every 10`; about 2 minutes). Full figures: "
        "`bench/out/api_load.json`.",
        "",
        "`proscribe serve --workers 2` (authentication on, the screening record on, each worker pinned to its own "
        "core) and the load generator share this 2-core machine over loopback. Open loop: single-query "
        "`POST /v1/screen` requests are sent at a constant rate over 64 keep-alive connections, and each latency is "
        "counted from the request's scheduled send time, so queueing in a stalled server is not hidden. Queries: "
        "the seeded speed workload (`bench/out/speed_workload.jsonl`, written by `bench/speed.py`), cycled. "
        "Afterwards every returned screening id is looked up in the store. The machine is shared with other work: "
        "the load averages show how busy it was.",
        "",
        "| Run | Load avg before/after | Sent | Achieved req/s | p50 ms | p99 ms | max ms | Errors | Missing records "
        "| Server CPU ms/request | Reloads (s each) | Target met |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        reloads = ", ".join(f"{r['seconds']}" for r in run["reloads"]) or "-"
        met = (
            run["achieved_rps"] >= 0.98 * run["target_rate"]
            and run["p99_ms"] <= 25
            and not run["errors"]
            and run["missing_records"] == 0
        )
        label = f"{run['target_rate']:.0f} req/s, {run['duration_s']:.0f} s" + (
            f", reload every {run['reload_every_s']:g} s" if run["reload_every_s"] else ""
        )
        lines.append(
            f"| {label} | {run['load_average_before'][0]} / {run['load_average_after'][0]} | {run['sent']} "
            f"| {run['achieved_rps']} | {run['p50_ms']} | {run['p99_ms']} | {run['max_ms']} "
            f"| {sum(run['errors'].values()) if run['errors'] else 0} | {run['missing_records']} "
            f"| {run['server_cpu_ms_per_request']} | {reloads} | {'yes' if met else 'NO'} |"
        )
    lines += [
        "",
        "Targets: >= 1,000 single-query requests/s sustained, p99 <= 25 ms, zero errors, with the record "
        "on; the same during an index reload every 10 s, with zero missing records. Run on "
        f"{runs[0]['date']}, {runs[0]['machine']}.",
        "",
    ]
    lines += [
        "How: `POST /v1/screen` without query parameters is answered by a fast path in the service's ASGI gate "
        "(the same validation model and screening core; FastAPI still documents it and serves every other "
        "request): one pinned worker answered about 2,200 requests/s of a six-query mix that way against about "
        "890 through FastAPI's request machinery. Each worker keeps its threads on one core of its own "
        "(`PROSCRIBE_PIN_CPUS`, on by default): unpinned, the event loop and the record writer convoy on the GIL "
        "across cores (p99 148 ms against 32 ms in runs minutes apart here). The record writer commits whatever "
        "is queued in one transaction (group commit) and releases the waiting requests after the commit. A "
        "reload reads the persisted index in a thread at the lowest CPU priority that yields the GIL between "
        "pickle frames, with garbage collection paused, swaps one reference, and frees the old index piecemeal.",
        "",
    ]
    section = "\n".join(lines)
    start = text.find(SECTION)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + ("\n" + text[end + 1 :] if end != -1 else "")
    path.write_text(text, encoding="utf-8")


def main() -> None:
    _install_uvloop()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rate", type=float, default=1000.0, help="requests per second to send (open loop)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of measured load")
    parser.add_argument("--workers", type=int, default=2, help="service worker processes")
    parser.add_argument("--connections", type=int, default=64, help="keep-alive connections")
    parser.add_argument(
        "--reload-every", type=float, default=0.0, help="POST /v1/admin/reload every N seconds"
    )
    parser.add_argument("--queries", type=int, default=5000, help="distinct queries to cycle through")
    parser.add_argument(
        "--mix",
        choices=("workload", "builtin"),
        default="workload",
        help="the seeded speed workload, or a small built-in mix of six queries",
    )
    parser.add_argument("--home", default=str(OUT / "api-home"), help="PROSCRIBE_HOME of the service")
    parser.add_argument("--write-md", action="store_true", help="record the result in BENCHMARKS.md")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    plans = [args]
    if args.write_md and not args.reload_every:  # the section records both cases
        plans.append(argparse.Namespace(**{**vars(args), "reload_every": 10.0}))
    runs = []
    for plan in plans:
        summary = run(plan)
        runs.append(summary)
        for key, value in summary.items():
            print(f"{key:>26}: {value}")
        passed = (
            summary["achieved_rps"] >= 0.98 * plan.rate
            and summary["p99_ms"] <= 25.0
            and not summary["errors"]
            and summary["missing_records"] == 0
        )
        print(
            "targets (>= rate, p99 <= 25 ms, zero errors, zero missing records):",
            "MET" if passed else "NOT MET",
        )
    (OUT / "api_load.json").write_text(json.dumps(runs, indent=1) + "\n")
    if args.write_md:
        write_markdown(runs)
    sys.exit(0)


if __name__ == "__main__":
    main()
