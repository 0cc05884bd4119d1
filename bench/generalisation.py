"""Screening quality on independent data: names nobody tuned for, and innocents in every script.

Run: ``.venv/bin/python bench/generalisation.py`` (``--skip-anchor`` for a quick run of our
engine only; ``--half tune`` while tuning; ``--classes 'cross-list script,titles'`` for a few).

The query sets live in ``bench/data/generalisation/`` (PROVENANCE.md there says where each comes
from). Every query has a stable id, and a hash of that id puts it in the ``tune`` half or the
``report`` half once and for all: tune on the tune half, quote the report half (BENCHMARKS.md
does). The sets:

* ``crosslist.csv``: the same party on two lists, linked by a UN reference, an identifier or a
  birth date plus nationality (never by the name under test); the original-script or
  other-spelling name from list A is screened against list B only;
* ``curated_*.csv``: real-world renderings of listed names, written by hand from how press,
  encyclopaedias and national conventions write them (other scripts, national Latin spellings,
  titles, nicknames, partial names, short-token variants, organisations in their own language,
  subsidiary-style names); screened against the lists of the expected entities;
* ``innocents_generated.csv`` and ``curated_innocents.csv``: ordinary names in many scripts and
  common Western names sharing words with listed people (namesakes refused), with yente's 1,000
  US-style negatives; screened against all lists as a customer would be;
* nomenklatura's labelled name pairs, scored with ``Matcher.compare`` (as ``bench/name_bench.py``).

Per class and per script: ``found`` (an alert on the right entity: decision not clear and the
expected entity among the results, i.e. review or better), ``first`` (the expected entity ranked
first), ``block``; on innocents: false alerts (decision != clear) and FALSE BLOCKS (decision ==
block), separately. The yente-like anchor (nomenklatura logic-v2 rescoring rapidfuzz candidates,
``bench/generalisation_anchor.py`` in ``bench/.venv-anchor``) runs on a seeded sample of the
report half in the same run; it has no block decision (an alert is a best score >= 0.70).

Writes ``bench/out/generalisation.json`` and ``bench/out/generalisation_misses.txt``. The index is
rebuilt first in an isolated home (``bench/out/generalisation_home``); ``--reuse-index`` skips it.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import hashlib
import json
import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DATA = BENCH / "data" / "generalisation"
OUT = BENCH / "out"
DEV_EVAL = REPO.parent / "shared" / "data" / "dev-eval"
YENTE_NEGATIVES = DEV_EVAL / "yente" / "negatives_us_1k.csv"
NAME_BENCH = DEV_EVAL / "nomenklatura" / "name_bench_cases.csv"
ANCHOR_SCRIPT = BENCH / "generalisation_anchor.py"
ANCHOR_SAMPLE = 400
SEED = 20261203

#: The issue's table: per class the measure that must reach the target.
TARGETS: dict[str, tuple[str, float, str]] = {
    "cross-list script": ("found", 0.90, "alert on the right entity"),
    "cross-list spelling": ("found", 0.95, "alert on the right entity"),
    "other scripts": ("found", 0.90, "alert on the right entity"),
    "han transcription": ("found", 0.90, "alert on the right entity"),
    "national spellings": ("found", 0.95, "alert on the right entity"),
    "titles": ("found", 0.90, "review or better, right entity"),
    "hypocorisms": ("found", 0.90, "alert on the right entity"),
    "partial names": ("found", 0.90, "review or better, right entity"),
    "short variants": ("found", 0.95, "alert on the right entity"),
    "han company forms": ("found", 0.90, "review or better, right entity"),
    "own-language organisations": ("found", 0.90, "alert on the right entity"),
    "subsidiary names": ("first", 0.90, "the listed group first"),
}
FALSE_ALERT_TARGET = 0.005
FALSE_BLOCK_TARGET = 0.0002


# -- sets ---------------------------------------------------------------------------------------


def half_of(query_id: str) -> str:
    """``tune`` or ``report``, fixed by the id alone (first byte of its SHA-256, even = tune)."""
    return "tune" if hashlib.sha256(query_id.encode("utf-8")).digest()[0] % 2 == 0 else "report"


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#") and line.strip()]
    return list(csv.DictReader(lines))


def split_list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def load_queries() -> list[dict]:
    """Every screening query of the evaluation, each with ``half`` and ``kind`` (listed | innocent)."""
    rows: list[dict] = []
    files = [
        DATA / "crosslist.csv",
        DATA / "listed_generated.csv",
        *sorted(DATA.glob("curated_*.csv")),
        DATA / "innocents_generated.csv",
    ]
    for path in files:
        if not path.exists():
            raise SystemExit(f"missing {path}: run bench/data/generalisation/build_sets.py")
        for row in read_csv(path):
            row["file"] = path.name
            row["expected"] = split_list(row.get("expected"))
            row["datasets"] = split_list(row.get("datasets"))
            row["kind"] = "innocent" if not row["expected"] else "listed"
            rows.append(row)
    with YENTE_NEGATIVES.open(encoding="utf-8", newline="") as handle:
        for n, row in enumerate(csv.DictReader(handle), start=1):
            rows.append(
                {
                    "id": f"yente-neg-{n:04d}",
                    "query": row["full_name"],
                    "schema": "Person",
                    "birth_date": row.get("date_of_birth") or "",
                    "country": row.get("nationality") or "",
                    "expected": [],
                    "datasets": [],
                    "class": "innocent yente us",
                    "script": "latin",
                    "source": "yente negatives_us_1k.csv",
                    "note": "",
                    "file": YENTE_NEGATIVES.name,
                    "kind": "innocent",
                }
            )
    seen: set[str] = set()
    for row in rows:
        if row["id"] in seen:
            raise SystemExit(f"duplicate query id {row['id']} ({row['file']})")
        seen.add(row["id"])
        row["half"] = half_of(row["id"])
    return rows


def query_of(row: dict) -> dict:
    props: dict[str, list[str]] = {"name": [row["query"]]}
    if row.get("birth_date"):
        props["birthDate"] = [row["birth_date"]]
    if row.get("country"):
        props["nationality"] = [row["country"]]
    return {"id": row["id"], "schema": row["schema"] or "LegalEntity", "properties": props}


def screening_datasets(row: dict) -> list[str] | None:
    """The lists a query is screened against: those named, else those of its expected entities
    (so that "first" is well defined within a list), else (innocents) all lists."""
    if row["datasets"]:
        return row["datasets"]
    if row["expected"]:
        return sorted({e.split("-", 1)[0] for e in row["expected"]})
    return None


# -- judging ------------------------------------------------------------------------------------


def judge_ours(row: dict, result: dict) -> dict:
    results = result.get("results", [])
    ids = [r["id"] for r in results]
    expected = set(row["expected"])
    mine = [r for r in results if r["id"] in expected]
    alert = result.get("decision") not in ("clear", "error")
    return {
        "alert": alert,
        "block": result.get("decision") == "block",
        "found": alert and bool(mine),
        "first": alert and bool(ids) and ids[0] in expected,
        "block_right": result.get("decision") == "block" and any(r["match"] for r in mine),
        "top": [(r["id"], round(r["score"], 3), r.get("matched_name")) for r in results[:3]],
        "decision": result.get("decision"),
        "error": result.get("error"),
    }


def judge_anchor(row: dict, hits: list[list]) -> dict:
    """The anchor's result: up to 5 (entity id, score) best first; an alert is a score >= 0.70."""
    listed = [h for h in hits if h[1] >= 0.70]
    expected = set(row["expected"])
    return {
        "alert": bool(listed),
        "block": False,
        "found": any(h[0] in expected for h in listed),
        "first": bool(listed) and listed[0][0] in expected,
        "block_right": False,
        "top": hits[:3],
        "decision": "alert" if listed else "clear",
        "error": None,
    }


class Tally:
    def __init__(self) -> None:
        self.n = self.found = self.first = self.block = self.alert = self.false_block = 0

    def add_listed(self, j: dict) -> None:
        self.n += 1
        self.found += j["found"]
        self.first += j["first"]
        self.block += j["block_right"]

    def add_innocent(self, j: dict) -> None:
        self.n += 1
        self.alert += j["alert"]
        self.false_block += j["block"]

    def listed(self) -> dict:
        return {
            "queries": self.n,
            "found": rate(self.found, self.n),
            "first": rate(self.first, self.n),
            "block": rate(self.block, self.n),
            "missed": self.n - self.found,
        }

    def innocent(self) -> dict:
        return {
            "queries": self.n,
            "false_alert": rate(self.alert, self.n),
            "false_block": rate(self.false_block, self.n),
            "false_alerts": self.alert,
            "false_blocks": self.false_block,
        }


def rate(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def pct2(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.2f}%"


def tally(rows: list[dict], judged: dict[str, dict]) -> dict:
    """Listed: by class and by script; innocents: by class (group) and by script."""
    out: dict[str, dict[str, Tally]] = {
        k: defaultdict(Tally) for k in ("class", "script", "innocent_class", "innocent_script")
    }
    overall_listed, overall_innocent = Tally(), Tally()
    for row in rows:
        j = judged.get(row["id"])
        if j is None:
            continue
        if row["kind"] == "listed":
            out["class"][row["class"]].add_listed(j)
            out["script"][row["script"]].add_listed(j)
            overall_listed.add_listed(j)
        else:
            out["innocent_class"][row["class"]].add_innocent(j)
            out["innocent_script"][row["script"]].add_innocent(j)
            overall_innocent.add_innocent(j)
    return {
        "listed_overall": overall_listed.listed(),
        "innocent_overall": overall_innocent.innocent(),
        "by_class": {k: v.listed() for k, v in sorted(out["class"].items())},
        "by_script": {k: v.listed() for k, v in sorted(out["script"].items())},
        "innocent_by_class": {k: v.innocent() for k, v in sorted(out["innocent_class"].items())},
        "innocent_by_script": {k: v.innocent() for k, v in sorted(out["innocent_script"].items())},
    }


def verdict(cls: str, summary: dict) -> str:
    target = TARGETS.get(cls)
    if not target or summary.get(target[0]) is None:
        return ""
    measure, value, _ = target
    return "PASS" if summary[measure] >= value else "FAIL"


# -- running ------------------------------------------------------------------------------------


def run_ours(rows: list[dict]) -> tuple[dict[str, dict], float]:
    from proscribe.screen import QueryError, screen

    judged: dict[str, dict] = {}
    started = time.perf_counter()
    for row in rows:
        try:
            result = screen(query_of(row), datasets=screening_datasets(row))
        except QueryError as exc:
            result = {"decision": "error", "error": str(exc), "results": []}
        judged[row["id"]] = judge_ours(row, result)
    return judged, time.perf_counter() - started


def anchor_python() -> Path:
    sys.path.insert(0, str(BENCH))
    from name_bench import anchor_python as make

    return make()


def run_anchor(rows: list[dict], index) -> tuple[dict[str, dict], dict]:
    """The anchor on ``rows``, through ``bench/generalisation_anchor.py`` in the anchor venv."""
    from proscribe.store import snapshots as snapshot_store

    OUT.mkdir(parents=True, exist_ok=True)
    entities_path = OUT / "generalisation_anchor_entities.jsonl"
    queries_path = OUT / "generalisation_anchor_queries.json"
    result_path = OUT / "generalisation_anchor_out.json"
    keep = (
        "name",
        "alias",
        "previousName",
        "weakAlias",
        "birthDate",
        "nationality",
        "citizenship",
        "country",
    )
    current = snapshot_store.current_snapshots()
    with entities_path.open("w", encoding="utf-8") as handle:
        for ds in sorted(current):
            for entity in snapshot_store.load_entities(current[ds].id):
                props = {k: v for k, v in entity.properties.items() if k in keep}
                handle.write(
                    json.dumps(
                        {"id": entity.id, "schema": entity.schema, "dataset": ds, "properties": props},
                        ensure_ascii=False,
                    )
                    + "\n"
                )
    queries = [dict(query_of(row), datasets=screening_datasets(row)) for row in rows]
    queries_path.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run(
        [str(anchor_python()), str(ANCHOR_SCRIPT), str(entities_path), str(queries_path), str(result_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"anchor failed:\n{proc.stderr[-3000:]}")
    data = json.loads(result_path.read_text(encoding="utf-8"))
    by_id = {row["id"]: row for row in rows}
    judged = {r["id"]: judge_anchor(by_id[r["id"]], r["hits"]) for r in data["rows"]}
    return judged, data["summary"]


def anchor_sample(rows: list[dict], size: int = ANCHOR_SAMPLE) -> list[dict]:
    """A seeded sample of the report half: ANCHOR_SAMPLE listed queries and ANCHOR_SAMPLE innocents."""
    rng = random.Random(SEED)
    report = [r for r in rows if r["half"] == "report"]
    listed = sorted((r for r in report if r["kind"] == "listed"), key=lambda r: r["id"])
    innocent = sorted((r for r in report if r["kind"] == "innocent"), key=lambda r: r["id"])
    return rng.sample(listed, min(size, len(listed))) + rng.sample(innocent, min(size, len(innocent)))


def name_pairs(index, half: str | None) -> dict:
    """nomenklatura's labelled name pairs, scored by Matcher.compare at the review threshold."""
    from proscribe.match.config import load_config
    from proscribe.match.engine import Matcher

    config = load_config()
    matcher = Matcher(index, config)
    rows = read_csv(NAME_BENCH)
    out: dict[str, dict] = {}
    for which in ("tune", "report"):
        if half not in (None, which):
            continue
        tp = fp = fn = tn = 0
        for n, row in enumerate(rows):
            if half_of(f"namebench-{n:04d}-{row['name1']}|{row['name2']}") != which:
                continue
            predicted = matcher.compare(row["name1"], row["name2"], row["schema"]) >= config.review
            actual = row["is_match"].strip().lower() == "true"
            tp += predicted and actual
            fp += predicted and not actual
            fn += actual and not predicted
            tn += not predicted and not actual
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + fn) if tp + fn else None
        out[which] = {
            "pairs": tp + fp + fn + tn,
            "precision": precision and round(precision, 4),
            "recall": recall and round(recall, 4),
        }
    return out


# -- report -------------------------------------------------------------------------------------


def markdown(report: dict) -> str:
    lines = [f"# Screening generalisation ({report['generated']}, commit {report['commit']})", ""]
    if report.get("uncommitted_src_changes"):
        lines += [
            "uncommitted changes under src/ when measured: " + ", ".join(report["uncommitted_src_changes"]),
            "",
        ]
    for half, figures in report["halves"].items():
        lines += [
            f"## {half} half",
            "",
            "| class | queries | found | first | block | target | |",
            "|---|---:|---:|---:|---:|---|---|",
        ]
        for cls, s in figures["ours"]["by_class"].items():
            target = TARGETS.get(cls)
            t = f"{target[0]} >= {target[1]:.0%} ({target[2]})" if target else ""
            lines.append(
                f"| {cls} | {s['queries']} | {pct(s['found'])} | {pct(s['first'])} | "
                f"{pct(s['block'])} | {t} | {verdict(cls, s)} |"
            )
        s = figures["ours"]["listed_overall"]
        lines.append(
            f"| **all listed** | {s['queries']} | {pct(s['found'])} | {pct(s['first'])} | "
            f"{pct(s['block'])} | | |"
        )
        lines += ["", "| script (listed) | queries | found | first |", "|---|---:|---:|---:|"]
        for script, s in figures["ours"]["by_script"].items():
            lines.append(f"| {script} | {s['queries']} | {pct(s['found'])} | {pct(s['first'])} |")
        lines += [
            "",
            f"Innocents (targets: false alerts <= {FALSE_ALERT_TARGET:.1%}, false blocks <= "
            f"{FALSE_BLOCK_TARGET:.2%} per script):",
            "",
            "| innocents | queries | false alerts | false blocks |",
            "|---|---:|---:|---:|",
        ]
        for key in ("innocent_by_class", "innocent_by_script"):
            for name, s in figures["ours"][key].items():
                label = name if key == "innocent_by_class" else f"script: {name}"
                lines.append(
                    f"| {label} | {s['queries']} | {pct2(s['false_alert'])} ({s['false_alerts']}) | "
                    f"{pct2(s['false_block'])} ({s['false_blocks']}) |"
                )
        s = figures["ours"]["innocent_overall"]
        lines.append(
            f"| **all innocents** | {s['queries']} | {pct2(s['false_alert'])} | {pct2(s['false_block'])} |"
        )
        if half in report.get("name_pairs", {}):
            p = report["name_pairs"][half]
            lines += [
                "",
                f"nomenklatura name pairs ({p['pairs']}): precision {pct(p['precision'])}, "
                f"recall {pct(p['recall'])} at the review threshold",
            ]
        lines.append("")
    anchor = report.get("anchor")
    if anchor:
        lines += [
            f"## yente-like anchor vs proscribe on the same seeded sample of the report half "
            f"({anchor['sample']['listed']} listed queries + {anchor['sample']['innocent']} innocents)",
            "",
            "| class | queries | proscribe found | anchor found | proscribe first | anchor first |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for cls, s in anchor["ours"]["by_class"].items():
            a = anchor["anchor"]["by_class"].get(cls, {})
            lines.append(
                f"| {cls} | {s['queries']} | {pct(s['found'])} | {pct(a.get('found'))} | "
                f"{pct(s['first'])} | {pct(a.get('first'))} |"
            )
        o, a = anchor["ours"]["listed_overall"], anchor["anchor"]["listed_overall"]
        lines.append(
            f"| **all** | {o['queries']} | {pct(o['found'])} | {pct(a['found'])} | {pct(o['first'])} | "
            f"{pct(a['first'])} |"
        )
        lines += [
            "",
            "| innocents by script | queries | proscribe false alerts | proscribe false blocks | "
            "anchor false alerts |",
            "|---|---:|---:|---:|---:|",
        ]
        for script, s in anchor["ours"]["innocent_by_script"].items():
            a = anchor["anchor"]["innocent_by_script"].get(script, {})
            lines.append(
                f"| {script} | {s['queries']} | {pct2(s['false_alert'])} | {pct2(s['false_block'])} | "
                f"{pct2(a.get('false_alert'))} |"
            )
        lines += [
            "",
            f"anchor: {anchor['summary'].get('qps', 0):.1f} queries/s "
            f"(nomenklatura {anchor['summary'].get('versions', {}).get('nomenklatura')}); "
            "no block decision, an alert is a best logic-v2 score >= 0.70",
        ]
    return "\n".join(lines) + "\n"


def write_misses(
    path: Path,
    rows: list[dict],
    judged: dict[str, dict],
    captions: dict[str, str],
    anchor: dict[str, dict] | None,
) -> None:
    by_class: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        j = judged.get(row["id"])
        if j is None:
            continue
        bad = (not j["found"]) if row["kind"] == "listed" else j["alert"]
        if not bad:
            continue
        head = (
            f"  {row['id']} [{row['half']}] {row['query']!r} ({row['schema']}, {row['script']})"
            f" -> {j['decision']}{' ' + j['error'] if j.get('error') else ''}"
        )
        lines = [head]
        if row["expected"]:
            lines.append(
                "    expected "
                + ", ".join(f"{e} {captions.get(e)!r}" for e in row["expected"])
                + (f"  [{row['note']}]" if row.get("note") else "")
            )
        elif row.get("note"):
            lines.append(f"    note: {row['note']}")
        for rid, score, matched in j["top"]:
            lines.append(f"    got {score} {rid} {captions.get(rid)!r} via {matched!r}")
        if anchor and row["id"] in anchor:
            a = anchor[row["id"]]
            lines.append(f"    anchor: {a['decision']} {a['top'][:1]}")
        by_class[row["class"]].append("\n".join(lines))
    with path.open("w", encoding="utf-8") as handle:
        for cls in sorted(by_class):
            handle.write(f"== {cls}: {len(by_class[cls])} ==\n")
            handle.write("\n".join(by_class[cls][:60]) + "\n\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=("tune", "report", "both"), default="both")
    parser.add_argument("--classes", default="", help="comma-separated classes (default: all)")
    parser.add_argument("--skip-anchor", action="store_true", help="our engine only (quick)")
    parser.add_argument("--reuse-index", action="store_true", help="use the persisted index if there is one")
    parser.add_argument("--rebuild-sets", action="store_true", help="rebuild the generated sets first")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--anchor-sample", type=int, default=ANCHOR_SAMPLE, help="listed queries and innocents for the anchor"
    )
    args = parser.parse_args(argv)
    if not os.environ.get("PROSCRIBE_HOME") and not os.environ.get("PROSCRIBE_DATABASE_URL"):
        os.environ["PROSCRIBE_HOME"] = str(OUT / "generalisation_home")
    if args.rebuild_sets:
        subprocess.run([sys.executable, str(DATA / "build_sets.py")], check=True)

    from proscribe import bundled
    from proscribe.screen import get_index

    rows = load_queries()
    if args.classes:
        wanted = {c.strip() for c in args.classes.split(",") if c.strip()}
        rows = [
            r for r in rows if r["class"] in wanted or (r["kind"] == "innocent" and "innocents" in wanted)
        ]
    halves = ["tune", "report"] if args.half == "both" else [args.half]
    rows = [r for r in rows if r["half"] in halves]

    bundled.ensure_loaded()
    started = time.perf_counter()
    index = get_index(rebuild=not args.reuse_index)
    index_s = time.perf_counter() - started
    captions = {record.id: record.caption for record in index.entities}
    unknown = sorted({e for r in rows for e in r["expected"] if e not in captions})
    if unknown:
        print(
            f"warning: {len(unknown)} expected ids are not in the current lists: {unknown[:10]}",
            file=sys.stderr,
        )

    judged, screen_s = run_ours(rows)
    commit = subprocess.run(
        ["git", "log", "-1", "--format=%h"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "src"], cwd=REPO, capture_output=True, text=True
    ).stdout.split("\n")
    report: dict = {
        "uncommitted_src_changes": sorted(line[3:] for line in dirty if line.strip()),
        "generated": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "index_seconds": round(index_s, 1),
        "screen_seconds": round(screen_s, 1),
        "queries": len(rows),
        "queries_per_second": round(len(rows) / screen_s, 1) if screen_s else None,
        "halves": {h: {"ours": tally([r for r in rows if r["half"] == h], judged)} for h in halves},
        "targets": {k: {"measure": m, "target": v, "means": d} for k, (m, v, d) in TARGETS.items()},
    }
    if not args.classes:
        report["name_pairs"] = name_pairs(index, None if args.half == "both" else args.half)
    anchor_judged = None
    if not args.skip_anchor and "report" in halves:
        sample = anchor_sample(rows, args.anchor_sample)
        anchor_judged, summary = run_anchor(sample, index)
        report["anchor"] = {
            "sample": {
                "listed": sum(r["kind"] == "listed" for r in sample),
                "innocent": sum(r["kind"] == "innocent" for r in sample),
                "seed": SEED,
            },
            "ours": tally(sample, judged),
            "anchor": tally(sample, anchor_judged),
            "summary": summary,
        }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "generalisation.json").write_text(
        json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    write_misses(args.out / "generalisation_misses.txt", rows, judged, captions, anchor_judged)
    print(markdown(report))
    print(
        f"{len(rows)} queries screened in {screen_s:.1f} s ({report['queries_per_second']} q/s); index "
        f"{index_s:.1f} s; -> {args.out / 'generalisation.json'}, {args.out / 'generalisation_misses.txt'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
