"""`proscribe screen` of 50,000 names, the whole run, with the yente-like anchor in the same run.

    .venv/bin/python bench/screen_cli_bench.py [--queries 50000] [--label TEXT] [--profile 3000]

What the issue's speed targets mean, measured as a user meets them:

1. the bundled current lists in an isolated ``PROSCRIBE_HOME`` (``bench/out/home``, shared with
   ``bench/speed.py``) and its persisted index (``proscribe index --no-rebuild``);
2. a seeded 50,000-query input (``bench/speed_workload.py``): mutated current-list names, the
   yente innocent persons in three spellings, innocent persons in Han, Hangul, Cyrillic and
   Arabic script, synthetic innocent companies;
3. the real ``proscribe screen IN -o OUT`` as a subprocess with its default workers (all cores),
   timed by wall clock from spawn to exit: interpreter start, imports, index load, reading,
   screening, writing, the audit trail. CPU time of the run (parent and workers) comes from
   ``RUSAGE_CHILDREN``. ``--compare-workers 1`` adds the single-process run for comparison;
4. single-query latency (one process pinned to one core, ``bench/speed.py``'s measure phase) on
   the first ``--latency-queries`` of the same queries, and cold start (``bench/speed.py``);
5. the anchor (``bench/anchor_yente_like.py`` in ``bench/.venv-anchor``) on a seeded sample of
   those queries; the ratio divides our whole-run rate by the anchor's rate;
6. ``--profile N``: cProfile of in-process screening over N queries, the hot spots with their
   share of the profiled time.

Results: ``bench/out/screen_cli_bench.json``, and a dated table in the ``## Screening speed``
section of ``BENCHMARKS.md`` (``--no-markdown`` to skip). The machine is shared: the load
average before and after each run is recorded, and CPU time is reported next to wall clock.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import speed  # noqa: E402  (bench/speed.py: cold start, latency phase, anchor, profile)
from speed_workload import build_workload, strip_private, write_jsonl  # noqa: E402

ROOT = BENCH.parent
OUT = BENCH / "out"
PROSCRIBE = Path(sys.executable).with_name("proscribe")
COMMAND = ".venv/bin/python bench/screen_cli_bench.py"
SUBSECTION = "### `proscribe screen` of 50,000 names, whole run"
TARGETS = {"qps": 2500.0, "anchor_ratio": 100.0, "p99_ms": 5.0, "cold_start_s": 2.0}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cli(env: dict, source: Path, out: Path, workers: int | None) -> dict:
    """One ``proscribe screen`` run, timed from spawn to exit."""
    args = [str(PROSCRIBE), "screen", str(source), "-o", str(out)]
    if workers is not None:
        args += ["--workers", str(workers)]
    load_before = os.getloadavg()
    cpu0, t0 = _children_cpu(), time.perf_counter()
    proc = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    queries = sum(1 for line in source.open(encoding="utf-8") if line.strip())
    decisions: dict[str, int] = {}
    lines = 0
    with out.open(encoding="utf-8") as handle:
        for line in handle:
            lines += 1
            decision = json.loads(line)["decision"]
            decisions[decision] = decisions.get(decision, 0) + 1
    if proc.returncode not in (0, 2) or lines != queries:
        raise SystemExit(
            f"proscribe screen failed ({proc.returncode}, {lines} of {queries} lines):\n{proc.stderr[-3000:]}"
        )
    return {
        "workers": workers if workers is not None else "default (all cores)",
        "queries": queries,
        "exit_code": proc.returncode,
        "wall_s": wall,
        "qps": queries / wall,
        "cpu_s": cpu,
        "cpu_cores_used": cpu / wall,
        "decisions": decisions,
        "load_average_before": list(load_before),
        "load_average_after": list(os.getloadavg()),
    }


def cli_cold_start(env: dict, tmp: Path) -> float:
    """``proscribe screen`` of one query, spawn to exit (what a one-off screening costs)."""
    source = tmp / "screen_cli_one.jsonl"
    source.write_text(
        json.dumps({"id": "q", "schema": "Company", "properties": {"name": ["Yongxin Zhicheng"]}}) + "\n",
        encoding="utf-8",
    )
    t0 = time.perf_counter()
    subprocess.run(
        [str(PROSCRIBE), "screen", str(source), "-o", str(tmp / "screen_cli_one.out")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=OUT / "home")
    parser.add_argument("--queries", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=20250103)
    parser.add_argument("--scripts", type=float, default=0.1, help="share of innocents in other scripts")
    parser.add_argument(
        "--no-variations", action="store_true", help="no queries from bench/out/variations.jsonl"
    )
    parser.add_argument(
        "--compare-workers",
        type=int,
        nargs="*",
        default=[1],
        metavar="N",
        help="also run with --workers N (default: 1); none to skip",
    )
    parser.add_argument("--latency-queries", type=int, default=5000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--anchor-sample", type=int, default=300)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--skip-anchor", action="store_true")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile N queries in process")
    parser.add_argument("--label", default="", help="what this run measures (shown in BENCHMARKS.md)")
    parser.add_argument("--no-markdown", action="store_true")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    home = args.home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["PROSCRIBE_HOME"] = str(home)
    os.environ.pop("PROSCRIBE_DATABASE_URL", None)
    env = dict(os.environ)
    import proscribe

    # the checkout whose code is measured (PYTHONPATH may point at another one)
    code = Path(proscribe.__file__).resolve().parent
    git = subprocess.run(["git", "log", "-1", "--format=%h %s"], cwd=code, capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "."], cwd=code, capture_output=True, text=True
    )
    report: dict = {
        "date": datetime.date.today().isoformat(),
        "label": args.label,
        "commit": git.stdout.strip()[:70]
        + (" + uncommitted changes in src/" if dirty.stdout.strip() else ""),
        "machine": speed.machine_note(),
        "home": str(home),
        "seed": args.seed,
        "targets": TARGETS,
    }

    # 1. lists and the persisted index
    print("preparing the store and the persisted index ...", flush=True)
    t = time.perf_counter()
    ready = subprocess.run(
        [str(PROSCRIBE), "index", "--no-rebuild"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if ready.returncode != 0:
        raise SystemExit(f"proscribe index failed:\n{ready.stderr[-3000:]}")
    report["index_ready_s"] = time.perf_counter() - t

    # 2. the input
    entities = speed.export_entities(home)
    variations = None if args.no_variations else speed.VARIATIONS
    workload = build_workload(
        entities, speed.NEGATIVES, args.queries, args.seed, variations, scripts=args.scripts
    )
    source = OUT / "screen_cli_input.jsonl"
    write_jsonl(source, [strip_private(row) for row in workload])
    parts: dict[str, int] = {}
    for row in workload:
        parts[row["_part"]] = parts.get(row["_part"], 0) + 1
    report["workload"] = {"queries": len(workload), "parts": parts, "file": str(source)}

    # 3. the whole run, default workers first
    runs = []
    for workers in [None, *args.compare_workers]:
        print(f"proscribe screen, {len(workload):,} queries, workers {workers or 'default'} ...", flush=True)
        runs.append(run_cli(env, source, OUT / f"screen_cli_output_{workers or 'default'}.jsonl", workers))
        print(
            f"  {runs[-1]['wall_s']:.1f} s, {runs[-1]['qps']:,.0f} queries/s, "
            f"{runs[-1]['cpu_cores_used']:.2f} cores busy",
            flush=True,
        )
    report["runs"] = runs
    whole = runs[0]

    # 4. latency and cold start
    latency_rows = workload[: args.latency_queries + args.warmup]
    latency_path = OUT / "screen_cli_latency_workload.jsonl"
    write_jsonl(latency_path, latency_rows)
    timed = latency_rows[args.warmup :]
    sample = random.Random(args.seed + 1).sample(timed, min(args.anchor_sample, len(timed)))
    sample_path = OUT / "screen_cli_anchor_sample_ids.json"
    sample_path.write_text(json.dumps([row["id"] for row in sample]))
    print(f"single-query latency on {len(timed):,} queries, one core ...", flush=True)
    report["load_average_before_latency"] = list(os.getloadavg())
    measured = speed._run_phase(env, "measure", str(latency_path), str(args.warmup), str(sample_path))
    rows = measured.pop("rows")
    latency = {**measured, **speed.latency_summary([r["latency_s"] for r in rows])}
    latency["cpu"] = speed.latency_summary([r["cpu_s"] for r in rows])
    latency["by_part"] = {
        part: speed.latency_summary([r["latency_s"] for r in rows if r["part"] == part])
        for part in sorted({r["part"] for r in rows})
    }
    report["latency"] = latency
    print("cold starts ...", flush=True)
    report["cold_start"] = [speed.cold_start(env) for _ in range(args.cold_runs)]
    report["cli_one_query_s"] = [cli_cold_start(env, OUT) for _ in range(args.cold_runs)]

    # 5. the anchor
    if args.skip_anchor:
        report["anchor"] = {"skipped": "--skip-anchor"}
    else:
        print(f"the yente-like anchor on {len(sample)} of the same queries ...", flush=True)
        sample_ids = {row["id"] for row in sample}
        our_sample = {r["id"]: r for r in rows if r["id"] in sample_ids}
        anchor = speed.run_anchor(entities, sample, our_sample, latency["qps"])
        if "qps" in anchor:
            anchor["ratio_whole_run"] = whole["qps"] / anchor["qps"]
        report["anchor"] = anchor

    # 6. profile
    if args.profile:
        print(f"profiling {args.profile:,} queries ...", flush=True)
        report["profile"] = speed._run_phase(
            env, "profile", str(latency_path), str(args.profile + 200), str(OUT / "screen_cli_profile.txt")
        )

    report["load_average_at_end"] = list(os.getloadavg())
    (OUT / "screen_cli_bench.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    lines = table(report)
    print("\n".join(lines))
    if not args.no_markdown:
        update_markdown(report, lines)
        print(f"\nupdated {speed.BENCHMARKS_MD.relative_to(ROOT)} ({SUBSECTION})")


def _verdict(value: float | None, target: float, at_least: bool) -> str:
    if value is None:
        return "not measured"
    return "PASS" if (value >= target if at_least else value <= target) else "FAIL"


def table(report: dict) -> list[str]:
    whole, latency, anchor = report["runs"][0], report["latency"], report.get("anchor", {})
    cold = statistics.median(c["whole_process_s"] for c in report["cold_start"])
    cold_cpu = statistics.median(c["cpu_s"] for c in report["cold_start"])
    t = TARGETS
    rows = [
        (
            f"`proscribe screen`, {whole['queries']:,} queries, whole run, all cores (queries/s)",
            f"{whole['qps']:,.0f}",
            f">= {t['qps']:,.0f}",
            _verdict(whole["qps"], t["qps"], True),
        ),
        ("  wall clock, spawn to exit (s)", f"{whole['wall_s']:.1f}", "", ""),
        (
            "  CPU time, parent and workers (s); cores busy",
            f"{whole['cpu_s']:.1f}; {whole['cpu_cores_used']:.2f}",
            "",
            "",
        ),
    ]
    for run in report["runs"][1:]:
        rows.append((f"  same, `--workers {run['workers']}` (queries/s)", f"{run['qps']:,.0f}", "", ""))
    rows += [
        (
            "Single-query latency p50 / p99 (ms), one core",
            f"{latency['p50_ms']:.2f} / {latency['p99_ms']:.2f}",
            f"p99 <= {t['p99_ms']:g}",
            _verdict(latency["p99_ms"], t["p99_ms"], False),
        ),
        ("  in process, one core (queries/s)", f"{latency['qps']:,.0f}", "", ""),
        (
            "Cold start to first result, whole process (s); CPU (s)",
            f"{cold:.2f}; {cold_cpu:.2f}",
            f"<= {t['cold_start_s']:g}",
            _verdict(cold, t["cold_start_s"], False),
        ),
        (
            "`proscribe screen` of one query, spawn to exit (s)",
            f"{statistics.median(report['cli_one_query_s']):.2f}",
            "",
            "",
        ),
    ]
    if "qps" in anchor:
        rows += [
            (
                f"Anchor (yente-like), {anchor['queries']} sampled queries (queries/s)",
                f"{anchor['qps']:.2f}",
                "",
                "",
            ),
            (
                "**Ratio: our whole run / anchor**",
                f"**{anchor['ratio_whole_run']:,.0f}x**",
                f">= {t['anchor_ratio']:g}x",
                _verdict(anchor["ratio_whole_run"], t["anchor_ratio"], True),
            ),
            ("  ours in process on the same sample / anchor", f"{anchor['ratio_qps_sample']:,.0f}x", "", ""),
        ]
    else:
        rows.append(("Anchor", str(next(iter(anchor.values()), "not run"))[:60], "", ""))
    header = ("Measure", "Value", "Target", "Verdict")
    width = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    out = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(header, width, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in width) + "|",
    ]
    out += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, width, strict=True)) + " |" for r in rows]
    return out


def update_markdown(report: dict, table_lines: list[str]) -> None:
    """A dated sub-section of ``## Screening speed`` per run label (the same date and label
    replace their own earlier table; other tables stay)."""
    whole, parts = report["runs"][0], report["workload"]["parts"]
    label = f" ({report['label']})" if report["label"] else ""
    heading = f"{SUBSECTION}, {report['date']}{label}"
    scripts = sum(v for k, v in parts.items() if k.startswith("script_"))
    loads = ", ".join(
        f"{r['load_average_before'][0]:.1f} to {r['load_average_after'][0]:.1f}" for r in report["runs"]
    )
    body = [
        heading,
        "",
        f"Command: `{COMMAND}` (see its docstring). Commit `{report['commit']}`; {report['machine']}; "
        f"load average (1 min) during the CLI runs {loads}, at the end {report['load_average_at_end'][0]:.1f}. "
        "Full figures: `bench/out/screen_cli_bench.json`.",
        "",
        f"Input: {report['workload']['queries']:,} queries (seed {report['seed']}): {parts.get('list', 0):,} mutated "
        f"current-list names, {parts.get('variation', 0):,} from the variation set, {parts.get('negative', 0):,} "
        f"yente innocent persons, {scripts:,} innocent persons in Han, Hangul, Cyrillic and Arabic script, "
        f"{parts.get('company', 0):,} innocent companies. Decisions: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(whole["decisions"].items()))
        + ". The whole run is `proscribe screen IN -o OUT` as a subprocess, spawn to exit (interpreter start, "
        "imports, index load, reading, screening, output, audit trail).",
        "",
        *table_lines,
        "",
    ]
    profile = report.get("profile")
    if profile and profile.get("self"):
        body.append(
            f"Hot spots (cProfile of {profile['profiled_queries']:,} queries in process; share of profiled "
            "time, self / including callees):"
        )
        body.append("")
        body += [f"- self {item['share']:.0%}: `{item['function']}`" for item in profile["self"][:8]]
        body += [
            f"- cumulative {item['share']:.0%}: `{item['function']}`" for item in profile["cumulative"][:10]
        ]
        body.append("")
    section = "\n".join(body)
    text = speed.BENCHMARKS_MD.read_text(encoding="utf-8")
    own = re.compile(rf"^{re.escape(heading)}\n.*?(?=^### |^## |\Z)", re.S | re.M)
    if own.search(text):
        text = own.sub(lambda _: section + "\n", text, count=1)
    else:  # at the end of the speed section
        end = re.compile(rf"(^{re.escape(speed.SECTION)}\n.*?)(?=^## |\Z)", re.S | re.M)
        text = end.sub(lambda m: m.group(1).rstrip("\n") + "\n\n" + section + "\n", text, count=1)
    speed.BENCHMARKS_MD.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
